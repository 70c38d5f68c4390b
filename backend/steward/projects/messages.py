"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "This comment is already hidden.": "该留言已被隐藏。",
    "Pick a case of this project's community.": "请选择本项目所在居民区的事项。",
    "Pick units that serve this community.": "请选择服务本居民区的单位。",
})
