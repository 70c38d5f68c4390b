"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Pick case categories used where the unit serves.": "请选择该单位服务范围内使用的事项类别。",
    "This unit is inactive.": "该单位已停用。",
    "No partner account with this phone in your area.": "您的辖区内没有使用此手机号的合作单位账号。",
    "This account belongs to another unit; detach it there first.": "该账号属于其他单位，请先在原单位移除。",
    "No account has this phone: give a name and a first password to create one.":
        "此手机号尚无账号：请填写姓名和初始密码以新建账号。",
})
