"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Only a community has an office phone.": "只有居民区才有居委会电话。",
    "Enter a phone number (digits, spaces, + - ( )).": "请输入电话号码（数字、空格或 + - ( )）。",
})
