"""Makes roster.xls, the tiny Excel 97-2003 fixture of test_import.py (xlwt is not a dependency of the project:
``pip install --target /tmp/xlwt xlwt && PYTHONPATH=/tmp/xlwt python make_xls.py``)."""

from pathlib import Path

import xlwt

ROWS = [
    ["2024年会员花名册"],
    ["姓名", "公民身份号码", "手机号码", "入会时间"],
    ["钱七", "330106199001010018", "13811110000", "2021年7月16日"],
]

book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("花名册")
for r, row in enumerate(ROWS):
    for c, value in enumerate(row):
        sheet.write(r, c, value)
book.save(str(Path(__file__).with_name("roster.xls")))
