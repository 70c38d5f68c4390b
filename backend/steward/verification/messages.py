"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "The code is wrong or has expired. Request a new one.": "验证码错误或已过期，请重新获取。",
    "Wait {seconds} seconds before asking for another code.": "请 {seconds} 秒后再获取验证码。",
})
