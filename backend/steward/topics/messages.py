"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Now under discussion: {title}": "议题进入讨论：{title}",
    "{count} neighbours supported it; the committee will discuss it.": "已有 {count} 位邻居支持，居委会将组织讨论。",
    "Decision on {title}: {decision}": "议题答复：{title}（{decision}）",
    "topic decision: adopted": "已采纳",
    "topic decision: declined": "未采纳",
    "topic decision: done": "已办结",
    "A comment awaits moderation: {title}": "有留言待审核：{title}",
    "Reported by {count} residents; it is hidden until you restore or remove it.":
        "已被 {count} 位居民举报，在您恢复或删除前暂时隐藏。",
    "Only residents whose household is verified may propose topics.": "仅限住户已核实的居民发起议题。",
    "At most 6 photos.": "最多 6 张照片。",
    "Only an adopted topic becomes a project or a case.": "只有已采纳的议题才能转为项目或事项。",
    "This topic already has a project.": "该议题已转为项目。",
    "This topic already has a case.": "该议题已转为事项。",
    "This topic is closed for comments.": "该议题已关闭留言。",
})
