"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Tomorrow: {title}": "明天：{title}",
    "Cancelled: {title}": "活动取消：{title}",
    "Sign-up is not open for this activity.": "该活动未开放报名。",
    "Sign-up closed at the deadline.": "报名已截止。",
    "Only volunteers sign up to serve.": "只有志愿者可以报名服务。",
    "You have already signed up.": "您已经报名了。",
    "This activity is full.": "该活动名额已满。",
    "The activity has started.": "活动已经开始。",
    "An activity can be completed once it has started.": "活动开始后才能结束。",
    "Say why, for the residents.": "请填写原因，我们会告知居民。",
    "Sign-up must close by the start.": "报名截止时间不能晚于活动开始时间。",
})
