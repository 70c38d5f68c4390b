"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "The committee answered your question": "居委会回复了您的咨询",
    "New question from a resident": "有居民发来咨询",
    "A resident followed up a question": "居民对咨询有追问",
    "At most 3 photos.": "最多 3 张照片。",
    "Answer the question before keeping it as a guide.": "请先回复该咨询，再存为办事指南。",
})
