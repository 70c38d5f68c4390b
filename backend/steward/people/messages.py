"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Your account already belongs to a household.": "您的账号已关联住户，无需再次认证。",
    "Your claim is still waiting for the committee.": "您的住户认证申请正在等待居委会审核。",
})
