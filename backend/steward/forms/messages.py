"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "New registration form: {title}": "新的信息登记：{title}",
    "Please fill it in by {deadline}.": "请在 {deadline} 前填写。",
    "Please fill it in on the app.": "请在红管家里填写。",
    "Each field needs its own key.": "每个字段的标识须不同。",
    "Give at least two options.": "请至少提供两个选项。",
    "Options must differ.": "选项不能重复。",
    "The maximum is below the minimum.": "最大值小于最小值。",
    "Pick a community, section or grid you manage.": "请选择您管理的居民区、标段或网格。",
    "Fields and audience can change only while the form is a draft.": "登记表发布后不能再修改字段和对象。",
    "The deadline has passed; set a later one first.": "截止时间已过，请先设置更晚的截止时间。",
    "The form is already published.": "登记表已发布。",
    "Only a published form can be closed.": "只有已发布的登记表才能结束。",
    "This registration has closed; nothing was saved.": "登记已截止，本次填写未保存。",
    "This field is required.": "此项必填。",
    "Please tick to agree.": "请勾选同意。",
    "The number is out of the allowed range.": "数字超出允许范围。",
    "Choose from the options.": "请从选项中选择。",
    "Enter text without control characters.": "请输入文字（不能含控制字符）。",
    "The text is too long.": "内容太长。",
    "Enter a date as YYYY-MM-DD.": "请输入日期，格式为 年-月-日。",
    "Unknown field type.": "未知的字段类型。",
    "You have already registered; edit your answers instead.": "您已登记过，可以修改已提交的内容。",
    "Only phone and ID-card answers are masked.": "只有手机号和身份证号是遮挡显示的。",
    "The export is not ready yet; try again in a moment.": "导出文件尚未生成，请稍后再试。",
})
