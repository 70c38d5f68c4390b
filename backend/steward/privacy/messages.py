"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "A resident asks to delete their data": "有居民申请删除个人信息",
    "{name} asked to delete their personal information. Please confirm or explain.":
        "{name}申请删除其个人信息，请确认或说明原因。",
    "Your deletion request was not accepted": "您的删除申请未被受理",
    "Staff and partner accounts are closed by an administrator.": "工作人员和合作单位账号请联系管理员注销。",
    "You have already asked; the committee will answer soon.": "您已提交过申请，居委会会尽快处理。",
    "There is no open request to cancel.": "没有可撤回的申请。",
    "This request has already been decided.": "该申请已处理。",
})
