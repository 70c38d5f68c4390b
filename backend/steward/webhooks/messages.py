"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Enter a valid URL.": "请输入有效的网址。",
    "The URL must start with https://.": "网址必须以 https:// 开头。",
    "The URL must not contain a user name or password.": "网址中不能包含用户名或密码。",
    "The host name does not resolve.": "无法解析该域名。",
    "The URL points to a private or reserved address.": "该网址指向内网或保留地址，不能使用。",
    "Unknown event.": "未知的事件类型。",
    "The subscription is switched off; switch it on first.": "该订阅已停用，请先启用。",
    "Webhook not delivered: {url}": "事件推送失败：{url}",
    "A {event} event could not be delivered for 24 hours ({error}). Fix the receiver, then replay it from the "
    "delivery log.": "{event} 事件 24 小时内未能送达（{error}）。请修复接收端后，在推送记录中重新发送。",
})
