"""The security suite's summary (issue 10): after any run that included tests marked ``security`` (``make
security`` runs only those; ``make test`` runs them with the rest), a table of each area, how many of its tests
passed and failed."""

import unicodedata
from collections import Counter

AREAS = (  # (what the test's node id contains, the area), first match wins
    ("test_scope_probe", "越权探测：每个 API 操作 × 兄弟省份用户"),
    ("test_uploads", "上传攻击文件（宏、压缩炸弹、XXE、伪装类型）"),
    ("formula", "公式注入（OWASP 载荷，所有表格写出路径）"),
    ("test_spreadsheets_write", "公式注入（OWASP 载荷，所有表格写出路径）"),
    ("test_audit", "审计链篡改"),
    ("test_jobs", "任务崩溃后续跑（租约、停滞、子进程）"),
    ("test_files_at_rest", "存储文件加密与权限（SM4-GCM 分块、0600/0700）"),
    ("test_rotation_files", "存储文件加密与权限（SM4-GCM 分块、0600/0700）"),
    ("test_files_backup", "存储文件的备份与恢复核对"),
    ("joining", "入会：不泄露他人申请、验证码一次性"),
    ("read_only", "只读授权的导出（决定 0013）"),
    ("sanitised", "富文本净化（XSS 载荷，资讯通知）"),
    ("xss", "富文本净化（XSS 载荷，资讯通知）"),
)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return text + " " * max(0, width - len(text) - wide)


def _area(nodeid: str) -> str:
    return next((area for needle, area in AREAS if needle in nodeid), "其他安全测试")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    counts: dict[str, Counter] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "security" not in getattr(report, "keywords", {}) or (outcome == "passed" and report.when != "call"):
                continue
            counts.setdefault(_area(report.nodeid), Counter())[outcome] += 1
    if not counts:
        return
    write = terminalreporter.write_line
    terminalreporter.section("安全回归测试汇总 (pytest -m security)")
    write(f"{_pad('领域', 48)}  通过  失败  跳过")
    for area, c in [*sorted(counts.items()), ("合计", sum(counts.values(), Counter()))]:
        write(f"{_pad(area, 48)}{c['passed']:>6}{c['failed'] + c['error']:>6}{c['skipped']:>6}")
