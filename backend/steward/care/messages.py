"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "No visit for {days} days: {household}": "已 {days} 天无人探访：{household}",
    "{household} has had no logged visit for {days} days. Please arrange one.":
        "{household}已有 {days} 天没有探访记录，请尽快安排上门。",
    "You have been paired with {household}": "您已与{household}结对",
    "They are already paired with this household.": "已与该户结对。",
    "This pair has already ended.": "该结对已结束。",
    "A visit cannot be in the future.": "探访时间不能晚于现在。",
    "Log visits within 30 days; ask the committee for older ones.": "只能登记 30 天内的探访，更早的请联系居委会补录。",
    "Pick a volunteer or a volunteer team (one of the two).": "请选择一位志愿者或一支志愿者队伍（二选一）。",
    "Pick an active volunteer of this community.": "请选择本居民区在岗的志愿者。",
    "Pick an active volunteer team serving this community.": "请选择服务本居民区的志愿者队伍。",
    "Only households with an elderly person living alone or in hardship are paired.": "只为有独居老人或困难家庭的住户结对。",
})
