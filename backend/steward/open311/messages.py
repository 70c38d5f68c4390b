"""This domain's messages in Chinese (see core.i18n.add_messages)."""
from ..core.i18n import add_messages

add_messages({
    "Unsupported format {ext}: use .json or .xml.": "不支持的格式 {ext}：请使用 .json 或 .xml。",
    "Use {methods} here.": "此处只支持 {methods} 请求。",
    "No such Open311 resource: {path}": "没有这个 Open311 资源：{path}",
    "Send the request as application/x-www-form-urlencoded (or multipart/form-data).":
        "请以 application/x-www-form-urlencoded（或 multipart/form-data）格式提交。",
    "Send one photo, under the field media.": "请只上传一张照片，字段名为 media。",
    "No such attribute.": "没有这个附加问题。",
    "jurisdiction_id not found: {code}": "没有这个辖区（jurisdiction_id）：{code}",
    "service_code not found: {code}": "没有这个服务类别（service_code）：{code}",
    "Say which jurisdiction (a community's or the town's code).": "请用 jurisdiction_id 指明辖区（居民区或镇的编码）。",
    "Name a community (e.g. LSW): a request belongs to one.": "请指明一个居民区（例如 LSW）：诉求须归属某个居民区。",
    "Say where: lat & long, address_string or address_id.": "请说明位置：lat 和 long、address_string 或 address_id。",
    "No such address in this jurisdiction.": "该辖区内没有这个地址。",
    "The range may not span more than 90 days.": "时间范围不能超过 90 天。",
    "start_date is after end_date.": "start_date 晚于 end_date。",
    "Send both lat and long.": "请同时提供 lat 和 long。",
    "Enter a finite number.": "请输入有限的数值。",
    "At most {max_items} values.": "最多 {max_items} 个值。",
    "Not a valid email address.": "不是有效的电子邮箱地址。",
    "Not a valid URL.": "不是有效的网址。",
})
