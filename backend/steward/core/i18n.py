"""Messages for people, in the language the client asks for.

English source strings are the message ids (gettext style); the catalogue maps them to Chinese.
Marshmallow's built-in messages arrive already formatted, so templates with ``{name}`` placeholders
are also matched as patterns and translated with the captured values.
"""
from __future__ import annotations

import re

from flask import has_request_context, request

SUPPORTED = ("zh-CN", "en")
DEFAULT = "zh-CN"

ZH: dict[str, str] = {
    # HTTP titles
    "Bad Request": "请求有误",
    "Unauthorized": "未登录或登录已失效",
    "Forbidden": "没有权限",
    "Not Found": "未找到",
    "Method Not Allowed": "不支持该请求方法",
    "Conflict": "数据冲突",
    "Precondition Failed": "数据已被他人修改",
    "Precondition Required": "缺少 If-Match 请求头",
    "Payload Too Large": "请求内容过大",
    "Request-URI Too Long": "请求地址过长",
    "Unsupported Media Type": "不支持的内容类型",
    "Unprocessable Content": "提交的内容有误",
    "Too Many Requests": "请求过于频繁",
    "Internal Server Error": "服务器内部错误",
    "Service Unavailable": "服务暂时不可用",
    # details
    "The requested resource does not exist or is not visible to you.": "请求的资源不存在，或您无权查看。",
    "Some fields are invalid.": "部分字段填写有误，请检查。",
    "The request body is not valid JSON.": "请求内容不是有效的 JSON。",
    "The request body must be a JSON object.": "请求内容必须是 JSON 对象。",
    "Send the request body as application/json.": "请以 application/json 格式提交请求内容。",
    "The request body exceeds {limit} bytes.": "请求内容超过 {limit} 字节。",
    "Phone number or password is incorrect.": "手机号或密码不正确。",
    "This account is disabled.": "该账号已停用。",
    "Too many login attempts. Try again in {seconds} seconds.": "登录尝试次数过多，请 {seconds} 秒后再试。",
    "Missing or malformed Authorization header.": "缺少或格式错误的 Authorization 请求头。",
    "The token has expired.": "登录已过期，请重新登录。",
    "The token has been revoked.": "登录已失效，请重新登录。",
    "The token is invalid.": "登录凭证无效。",
    "A refresh token is required here.": "此处需要刷新令牌（refresh token）。",
    "An access token is required here.": "此处需要访问令牌（access token）。",
    "The refresh token was already used; this session has been signed out for safety.":
        "刷新令牌已被使用过，为安全起见本次登录已全部退出。",
    "This refresh token was just replaced; use the newer one.": "刷新令牌刚刚已更新，请使用新的令牌。",
    "Your role does not allow this action.": "您的角色无权执行此操作。",
    "The resource was changed by someone else. Reload it and try again.": "数据已被他人修改，请刷新后重试。",
    "Send the ETag you read in an If-Match header.": "请在 If-Match 请求头中带上读取时得到的 ETag。",
    "The request conflicts with existing data.": "与已有数据冲突。",
    "This Idempotency-Key was used with a different request.": "该 Idempotency-Key 已用于另一个不同的请求。",
    "A request with this Idempotency-Key is still being processed.": "使用该 Idempotency-Key 的请求仍在处理中。",
    "Idempotency-Key must be 1 to 200 printable characters.": "Idempotency-Key 须为 1 到 200 个可打印字符。",
    "Invalid cursor.": "分页游标无效。",
    "The address is too long.": "请求地址过长。",
    "A value does not fit what the database can store.": "有数值超出了数据库可保存的范围。",
    "You have used {limit} Idempotency-Keys in the last {hours} hours; retry later or send the request without a key.":
        "您在 {hours} 小时内已使用了 {limit} 个 Idempotency-Key，请稍后再试，或不带该请求头发送。",
    "The request body is nested too deeply.": "请求内容的嵌套层级过深。",
    "The request body contains an invalid Unicode escape.": "请求内容包含无效的 Unicode 转义（孤立的代理项）。",
    "Something went wrong on our side. It has been logged.": "服务器出错了，我们已记录该问题。",
    "Please retry later.": "请稍后重试。",
    # field messages (ours)
    "Enter a mainland mobile number of 11 digits starting with 1.": "请输入以 1 开头的 11 位手机号码。",
    "Enter a valid 18-character ID card number.": "请输入有效的 18 位身份证号码。",
    "The ID card number's check digit is wrong.": "身份证号码校验位不正确。",
    "The birth date in the ID card number is not a real date.": "身份证号码中的出生日期无效。",
    "The password must have at least 8 characters, with letters and digits.": "密码至少 8 位，且须同时包含字母和数字。",
    "This phone number is already registered.": "该手机号已注册。",
    "The current password is incorrect.": "当前密码不正确。",
    "No such household in this community. Check building, unit and room.": "该小区没有这个住户，请核对楼号、单元和室号。",
    "No such community.": "没有这个居民区。",
    "No such area.": "没有这个区域。",
    "No such household.": "没有这个住户。",
    "No such stairwell.": "没有这个楼道。",
    "No such resident.": "没有这个居民。",
    "No such unit.": "没有这个联盟单位。",
    "A section must belong to a community.": "标段必须隶属于居民区。",
    "A grid must belong to a section.": "网格必须隶属于标段。",
    "A resident may only add people to their own household.": "居民只能为自己的家庭添加成员。",
    "This code is already used.": "该编码已被使用。",
    "This ID card number is already registered to another resident.": "该身份证号码已登记在其他居民名下。",
    "This claim was already reviewed.": "该认证申请已审核过。",
    "This step is not possible while the state is {state}.": "当前状态（{state}）下不能执行这一步。",
    "Too many attempts. Try again in {seconds} seconds.": "尝试次数过多，请 {seconds} 秒后再试。",
    "Only the 'phone' and 'id_card' fields can be revealed.": "只能查看 phone 和 id_card 字段的完整值。",
    "You cannot assign a role above your own or an area outside your scope.": "不能分配高于自己的角色或超出自己管辖范围的区域。",
    "This role needs an area of kind town.": "该角色须关联到镇一级。",
    "This role needs an area of kind community.": "该角色须关联到居民区（志愿者也可关联到标段或网格）。",
    "The area is outside your scope.": "该区域不在您的管辖范围内。",
    "Control characters are not allowed.": "不能包含控制字符。",
    "Line breaks and tabs are not allowed here.": "此处不能包含换行或制表符。",
    "Text direction control characters are not allowed.": "不能包含文字方向控制字符。",
    # photos (media)
    "This is not a photo in a format we accept (JPEG, PNG, WebP or HEIC).":
        "不是有效的图片文件（支持 JPEG、PNG、WebP、HEIC）。",
    "The file is empty.": "文件是空的。",
    "The photo is larger than {mb} MB.": "照片不能超过 {mb} MB。",
    "The photo has too many pixels (at most {mp} million).": "照片像素过多（最多 {mp} 百万像素）。",
    "The photo is damaged or incomplete.": "照片已损坏或不完整。",
    "HEIC photos are not accepted here. Choose JPEG in the camera settings.":
        "暂不支持 HEIC 格式的照片，请在相机设置中选择 JPEG。",
    "Send at most {max} photos.": "最多只能上传 {max} 张照片。",
    "Add at least one photo.": "请至少添加一张照片。",
    # marshmallow built-ins
    "Number too large.": "数值过大。",
    "Missing data for required field.": "此项为必填项。",
    "Unknown field.": "不允许的字段。",
    "Field may not be null.": "此项不能为空。",
    "Not a valid string.": "不是有效的文本。",
    "Not a valid integer.": "不是有效的整数。",
    "Not a valid number.": "不是有效的数字。",
    "Not a valid boolean.": "不是有效的布尔值。",
    "Not a valid date.": "不是有效的日期（格式 YYYY-MM-DD）。",
    "Not a valid datetime.": "不是有效的日期时间。",
    "Not a valid list.": "不是有效的列表。",
    "Not a valid mapping type.": "不是有效的对象。",
    "Invalid input type.": "输入类型无效。",
    "Invalid value.": "值无效。",
    "Shorter than minimum length {min}.": "长度不能少于 {min}。",
    "Longer than maximum length {max}.": "长度不能超过 {max}。",
    "Length must be between {min} and {max}.": "长度须在 {min} 到 {max} 之间。",
    "Length must be {equal}.": "长度须为 {equal}。",
    "Must be greater than or equal to {min}.": "须大于或等于 {min}。",
    "Must be less than or equal to {max}.": "须小于或等于 {max}。",
    "Must be greater than or equal to {min} and less than or equal to {max}.": "须在 {min} 到 {max} 之间。",
    "Must be one of: {choices}.": "须为以下之一：{choices}。",
    "String does not match expected pattern.": "格式不正确。",
}

_PATTERNS: list[tuple[re.Pattern[str], str]] = []
for _src, _dst in ZH.items():
    if "{" in _src:
        _rx = re.escape(_src)
        _rx = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", _rx)
        _PATTERNS.append((re.compile("^" + _rx + "$"), _dst))
# The longest template first: "Must be … {min} and … {max}." must not be taken for "Must be … {min}."
_PATTERNS.sort(key=lambda p: -len(p[0].pattern))


def locale() -> str:
    """The best supported language of the current request (zh-CN unless English is preferred)."""
    if not has_request_context():
        return DEFAULT
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"], default="zh-CN")
    return "en" if best == "en" else "zh-CN"


def t(message: str, **params) -> str:
    """Translate an English message id into the request's language, then fill ``params``."""
    if locale() == "en":
        return message.format(**params) if params else message
    if message in ZH:
        return ZH[message].format(**params) if params else ZH[message]
    if not params:
        for rx, dst in _PATTERNS:
            m = rx.match(message)
            if m:
                return dst.format(**m.groupdict())
    return message.format(**params) if params else message


def translate_errors(errors):
    """Translate a marshmallow error structure (nested dicts/lists of strings) in place of a copy."""
    if isinstance(errors, dict):
        return {k: translate_errors(v) for k, v in errors.items()}
    if isinstance(errors, list):
        return [translate_errors(v) for v in errors]
    if isinstance(errors, str):
        return t(errors)
    return errors


def add_messages(zh: dict[str, str]) -> None:
    """A domain brings its own messages (``{english: chinese}``) instead of editing this catalogue.

    The same English text may come from two domains only with the same Chinese: a second, different
    translation would silently change the first domain's wording."""
    clashes = {src: (ZH[src], dst) for src, dst in zh.items() if src in ZH and ZH[src] != dst}
    if clashes:
        raise ValueError(f"messages translated twice, differently: {clashes}")
    ZH.update(zh)
    for src, dst in zh.items():
        if "{" in src:
            rx = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(src))
            _PATTERNS.append((re.compile("^" + rx + "$"), dst))
