"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "This phone number is already registered. Sign in, or reset your password.":
        "该手机号已注册，请直接登录或找回密码",
    "This is already your phone number.": "这已经是您当前的手机号。",
    "Change your password before you continue.": "请先修改密码再继续使用。",
    "Change your own password with your current password (POST /me/password).":
        "请通过“修改密码”（需输入当前密码）修改您自己的密码。",
    "You must accept the privacy policy to register.": "注册前须同意隐私政策。",
})
