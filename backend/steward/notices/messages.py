"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Government affairs disclosure": "政务公开",
    "Important notice": "重要通知",
    "Service guide": "办事指南",
    "Seasons and solar terms": "四季节气",
    "Friendly reminder": "温馨提示",
    "Cultural activities": "文化活动",
    "Civility campaign": "文明宣传",
    "Important notice: {title}": "重要通知：{title}",
    "{summary}": "{summary}",
    "Pick an area you manage.": "请选择您管理的区域。",
    "The expiry time must be after the publish time.": "失效时间须晚于发布时间。",
    "This notice has been withdrawn.": "该通知已撤回。",
    "This notice is already published.": "该通知已发布。",
    "Only drafts and scheduled notices can be published.": "只有草稿或待发布的通知可以发布。",
    "Unknown tag.": "未知的标签。",
    "Not a household this notice is addressed to.": "该户不在通知范围内。",
    "Send at most {most} files.": "最多上传 {most} 个文件。",
    "Add at least one file.": "请至少添加一个文件。",
    "A notice holds at most {most} attachments.": "每条通知最多 {most} 个附件。",
    "Not a PDF or an image (JPEG, PNG, WebP, HEIC).": "不是 PDF 或图片（JPEG、PNG、WebP、HEIC）文件。",
    "The PDF is damaged or incomplete.": "PDF 文件已损坏或不完整。",
    "PDFs with scripts, embedded files or actions are not accepted.": "不接受含脚本、嵌入文件或自动动作的 PDF。",
    "The file is larger than {mb} MB.": "文件超过 {mb} MB。",
    "Upload files as multipart/form-data under \"files\".": "请以 multipart/form-data 在 files 字段上传文件。",
})
