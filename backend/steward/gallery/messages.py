"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Add at least one photo.": "请至少添加一张照片。",
    "At most 30 photos are kept here.": "这里最多保存 30 张照片。",
    "Photos can be added once the activity has begun.": "活动开始后才能上传照片。",
})
