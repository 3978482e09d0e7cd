"""The columns of a roster (花名册): the names unions give them, and one row read into a ``RosterRow``.

A blank cell, or a column the sheet does not have, means "not given": a new member gets the default, an
existing one keeps what the registry holds."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from gonghui.core.identifiers import parse_id_number, parse_phone, parse_uscc
from gonghui.core.spreadsheets import cell_text, compact_text, parse_date
from gonghui.members.models import ETHNICITIES, Education, EmploymentForm
from gonghui.rosters.policy import roster_policy

# Column key: its heading in exports and error files first, then the synonyms found in real rosters.
COLUMNS = {
    "name": ("姓名", "职工姓名", "会员姓名", "名字"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "证件号", "身份证"),
    "phone": ("手机号", "手机", "手机号码", "联系电话", "电话", "联系方式", "移动电话"),
    "ethnicity": ("民族",),
    "education": ("学历", "文化程度", "最高学历"),
    "employment_form": ("就业形态", "用工形式", "用工性质"),
    "is_migrant": ("农民工", "是否农民工"),
    "employer_name": ("工作单位", "单位", "单位名称", "工作单位名称"),
    "employer_uscc": ("统一社会信用代码", "单位统一社会信用代码", "信用代码"),
    "job_title": ("岗位", "职务", "岗位/职务", "工种"),
    "joined_on": ("入会日期", "入会时间"),
    "card_number": ("会员证号", "会员证号码", "会员卡号"),
    "status": ("会员状态", "人员状态", "状态", "在职状态", "在岗状态", "在职情况", "是否退休", "在职/退休"),
}
HEADINGS = {key: names[0] for key, names in COLUMNS.items()}
SYNONYMS = {name: key for key, names in COLUMNS.items() for name in names}
REQUIRED = ("name", "id_number")
# Headings of columns that hold nothing to import (the row's number in the sheet): ignored without asking.
IGNORED = {"序号", "编号", "行号", "NO", "NO.", "序"}
# The blank template's own instructions sheet (rosters.views.template): skipped without a warning.
INSTRUCTIONS_SHEET, INSTRUCTIONS_HEADER = "填写说明", ["列名", "填写要求", "也可写作"]
# The mapping step's value for a column the cadre has not decided about (it stays listed as unmatched).
UNDECIDED = "?"
# How a heading was matched (the mapping step of the dry run shows it).
AUTO, REMEMBERED, IGNORED_AUTO, UNMATCHED, REPEATED = "auto", "remembered", "ignored", "unmatched", "repeated"

EDUCATION = {label: value for value, label in Education.choices} | {
    "小学": "primary", "初中": "junior", "高中": "senior", "中专": "senior", "技校": "senior", "职高": "senior",
    "大专": "college", "专科": "college", "本科": "bachelor", "大学本科": "bachelor", "大学": "bachelor",
    "硕士": "master", "硕士研究生": "master", "研究生": "master", "博士": "doctor", "博士研究生": "doctor",
}  # fmt: skip
EMPLOYMENT = {label: value for value, label in EmploymentForm.choices} | {
    "全日制": "standard", "正式工": "standard", "合同制": "standard", "派遣": "dispatched", "劳务派遣工": "dispatched",
    "非全日制": "part_time", "兼职": "part_time", "外卖骑手": "food_delivery", "骑手": "food_delivery",
    "快递小哥": "courier", "网约车": "ride_hailing", "家政": "domestic", "代驾": "designated_driver",
    "灵活就业": "flexible",
}  # fmt: skip
RETIRED = {
    "退休",
    "已退休",
    "离退休",
    "退休人员",
    "退休职工",
    "退休会员",
    "退休工人",
    "离休",
    "已离休",
    "离休干部",
    "退休返聘",
    "是",
}  # fmt: skip  ("是" under 是否退休)
WORKING = {"在职", "在岗", "正常", "在册", "在职职工", "在职人员", "在职会员", "职工", "否"}
YES = {"是", "Y", "YES", "TRUE", "1", "√", "✓", "农民工"}
NO = {"否", "N", "NO", "FALSE", "0", "×", "非农民工", ""}


def heading_text(cell) -> str:
    """A heading as a union's mapping remembers it: its text without spaces (full-width folded)."""
    return compact_text(cell)[:100]


def synonym_key(cell) -> str | None:
    """The column a heading names by its real-world names: spaces, 必填 marks (an asterisk before or after, or
    （必填）) and trailing notes in brackets do not count."""
    text = compact_text(cell).strip("*").replace("（必填）", "").replace("(必填)", "")
    for bracket in ("（", "("):
        if bracket in text and text not in SYNONYMS:
            text = text.split(bracket, 1)[0]
    return SYNONYMS.get(text.strip("*:："))


def heading_key(cell, mapping: dict[str, str] | None = None) -> str | None:
    """The column a heading names: the union's own mapping first (a key, or "" for a column it ignores),
    then the real-world names."""
    if mapping:
        chosen = mapping.get(heading_text(cell))
        if chosen is not None:
            return chosen or None
    return synonym_key(cell)


def header_score(row: list, mapping: dict[str, str] | None = None) -> int:
    """How much a row looks like a roster header: its distinct known columns, none without 姓名 and ID."""
    keys = {heading_key(cell, mapping) for cell in row} - {None}
    return len(keys) if set(REQUIRED) <= keys else 0


def column_map(header: list, mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Column key -> index in the row (the first column of each kind)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = heading_key(cell, mapping)
        if key is not None and key not in found:
            found[key] = index
    return found


def columns_described(header: list, mapping: dict[str, str] | None = None) -> list[dict]:
    """Every non-blank heading of a sheet with what it matched and how: by its name (``auto``), by the union's
    mapping (``remembered``; ``key`` "" when the union ignores it), ignored as a row number (``ignored``), a
    second column of a field already taken (``repeated``: not imported), or nothing (``unmatched``)."""
    described, taken = [], set()
    for cell in header:
        text = heading_text(cell)
        if not text:
            continue
        chosen = (mapping or {}).get(text)
        key = (chosen or None) if chosen is not None else synonym_key(cell)
        if chosen is not None:
            how = REMEMBERED
        elif key is None:
            how = IGNORED_AUTO if text.upper() in IGNORED else UNMATCHED
        else:
            how = AUTO
        if key is not None and key in taken:
            how = REPEATED
        taken.add(key)
        described.append({"heading": text, "key": key or "", "how": how})
    return described


@dataclass(frozen=True)
class RosterRow:
    """One valid row, normalised; ``None`` means the cell was blank or the column absent."""

    name: str
    id_number: str
    birth_date: dt.date
    gender: str
    phone: str | None
    ethnicity: str | None
    education: str | None
    employment_form: str | None
    is_migrant: bool | None
    employer_name: str
    employer_uscc: str
    job_title: str | None
    joined_on: dt.date | None
    card_number: str
    is_retired: bool | None = None


def _choice(value: str, table: dict[str, str], what: str) -> str | None:
    if not value:
        return None
    if value in table:
        return table[value]
    raise ValidationError(f"{what}“{value}”无法识别。", code=what)


def _ethnicity(value: str) -> str | None:
    if not value:
        return None
    for candidate in (value, value + "族"):
        if candidate in ETHNICITIES:
            return candidate
    raise ValidationError(f"民族“{value}”无法识别，请填写如“汉族”“回族”。", code="ethnicity")


def _migrant(value: str) -> bool | None:
    if not value:
        return None
    if value.upper() in YES:
        return True
    if value.upper() in NO:
        return False
    raise ValidationError(f"农民工一栏“{value}”无法识别，请填写“是”或“否”。", code="is_migrant")


def _joined_on(cell, today: dt.date) -> dt.date | None:
    joined = _joined_date(cell)
    if joined is None:
        return None
    if joined > today:
        raise ValidationError(f"入会日期 {joined:%Y-%m-%d} 晚于今天。", code="joined_on")
    earliest = roster_policy().earliest_joined_on
    if joined < earliest:
        raise ValidationError(f"入会日期 {joined:%Y-%m-%d} 早于 {earliest:%Y-%m-%d}。", code="joined_on")
    return joined


def _retired(value: str) -> bool | None:
    if not value:
        return None
    if value in RETIRED:
        return True
    if value in WORKING:
        return False
    raise ValidationError(f"会员状态“{value}”无法识别，请填写“在职”或“退休”。", code="status")


# What Excel makes of an 18-digit number typed into a cell not formatted as text: it keeps 15 significant digits
# (the last three become 0) and shows it in scientific notation (3.30106E+17).
SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d{1,2}")
TRUNCATED = re.compile(r"\d{15}000")
MANGLED = ("身份证号码已被 Excel 改坏：{how}，无法从文件中恢复。请把“身份证号”列设为“文本”格式，"
           "重新填写这一行的号码后再导入。")  # fmt: skip


def id_number_cell(cell, *, today: dt.date | None = None):
    """The ID number of a row; one that Excel stored as a number (scientific notation, the last digits turned
    to 0) is reported as such, not as a wrong check digit."""
    number = isinstance(cell, int | float) and not isinstance(cell, bool) and abs(cell) >= 1e15
    if number and isinstance(cell, float):  # a double holds 15-16 significant digits: the ID's end is lost
        raise ValidationError(MANGLED.format(how="它被存成了数字，后几位已变成 0"), code="id_mangled")
    text = compact_text(cell)
    if not text.isdigit() and SCIENTIFIC.fullmatch(text.upper()):  # digits alone have no E
        raise ValidationError(MANGLED.format(how=f"显示为科学计数法 {text}"), code="id_mangled")
    try:
        return parse_id_number(text, today=today)
    except ValidationError as error:
        if error.code == "id_check" and (number or TRUNCATED.fullmatch(text)):
            how = "它被存成了数字，后几位已变成 0" if number else "最后三位变成了 000"
            raise ValidationError(MANGLED.format(how=how), code="id_mangled") from None
        raise


def _limited(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise ValidationError(f"{what}最多 {limit} 个字符。", code=what)
    return value


class PerCell:
    """A pure function of one cell, remembered by the cell's type and value: the columns whose values repeat down
    a roster (民族, 学历, 单位, 入会日期, 状态...) are normalised and validated once per distinct value. A refusal is
    remembered too and raised afresh, the same message and code. At most ``limit`` values are held (then
    forgotten all at once): memory stays bounded whatever the file, in every worker process. A cell that cannot
    be a key (openpyxl's rich text is a list) is read every time."""

    def __init__(self, function, limit: int = 4096):
        self.function, self.limit, self.results = function, limit, {}

    def __call__(self, cell):
        try:
            found = self.results.get((cell.__class__, cell))
        except TypeError:
            return self.function(cell)
        if found is None:
            try:
                found = (True, self.function(cell))
            except ValidationError as error:
                if not hasattr(error, "message"):  # several messages: not remembered
                    raise
                found = (False, (error.message, error.code, error.params))
            if len(self.results) >= self.limit:
                self.results.clear()
            self.results[(cell.__class__, cell)] = found
        valid, value = found
        if valid:
            return value
        message, code, params = value
        raise ValidationError(message, code=code, params=params)


def _uscc(cell) -> str:
    uscc = compact_text(cell)
    return parse_uscc(uscc) if uscc else ""


ethnicity_cell = PerCell(lambda cell: _ethnicity(compact_text(cell)))
education_cell = PerCell(lambda cell: _choice(compact_text(cell), EDUCATION, "学历"))
employment_cell = PerCell(lambda cell: _choice(compact_text(cell), EMPLOYMENT, "就业形态"))
migrant_cell = PerCell(lambda cell: _migrant(compact_text(cell)))
employer_cell = PerCell(lambda cell: _limited(cell_text(cell), 200, "工作单位"))
uscc_cell = PerCell(_uscc)
job_title_cell = PerCell(lambda cell: _limited(cell_text(cell), 50, "岗位") or None)
_joined_date = PerCell(lambda cell: None if cell_text(cell) == "" else parse_date(cell))  # today's checks: _joined_on
card_number_cell = PerCell(lambda cell: _limited(compact_text(cell), 32, "会员证号"))
status_cell = PerCell(lambda cell: _retired(compact_text(cell)))


def row_parse(cells: dict[str, object]) -> RosterRow:
    """Read one row (column key -> raw cell); a ``ValidationError`` names the first problem, in Chinese."""
    name = _limited(compact_text(cells.get("name")), 50, "姓名")
    if not name:
        raise ValidationError("姓名为空。", code="name")
    today = dt.date.today()
    identity = id_number_cell(cells.get("id_number"), today=today)
    phone = compact_text(cells.get("phone"))
    return RosterRow(
        name=name,
        id_number=identity.number,
        birth_date=identity.birth_date,
        gender=identity.gender,
        phone=parse_phone(phone) if phone else None,
        ethnicity=ethnicity_cell(cells.get("ethnicity")),
        education=education_cell(cells.get("education")),
        employment_form=employment_cell(cells.get("employment_form")),
        is_migrant=migrant_cell(cells.get("is_migrant")),
        employer_name=employer_cell(cells.get("employer_name")),
        employer_uscc=uscc_cell(cells.get("employer_uscc")),
        job_title=job_title_cell(cells.get("job_title")),
        joined_on=_joined_on(cells.get("joined_on"), today),
        card_number=card_number_cell(cells.get("card_number")),
        is_retired=status_cell(cells.get("status")),
    )
