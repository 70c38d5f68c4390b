"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Pick an active unit you manage.": "请选择您管辖范围内、仍在服务的联盟单位。",
    "Unknown scope.": "未知的权限范围。",
    "The expiry must lie in the future.": "到期时间必须晚于现在。",
    "This API client lacks the scope {scope}.": "该 API 客户端没有 {scope} 权限。",
})

add_messages({
    "Missing api_key: this call needs the key of an API client.": "缺少 api_key：此操作需要 API 客户端的密钥。",
    "Invalid api_key.": "api_key 无效。",
    "This api_key has been revoked.": "该 api_key 已被吊销。",
    "This api_key has expired.": "该 api_key 已过期。",
})

add_messages({
    "API clients may not call this route.": "API 客户端不能调用此接口。",
    "A revoked or expired client cannot be rotated.": "已吊销或已过期的客户端不能更换密钥。",
})
