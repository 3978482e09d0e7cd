"""The person's hardship files, for their own copy of their data (declared in apps.py): the household as
recorded (decrypted), the incomes, expenses and the aid paid."""

from gonghui.assistance.models import HardshipFile
from gonghui.core import crypto
from gonghui.members.models import Person


def _plain(value: str) -> str:
    return crypto.decrypt(value) if value else ""


def _file(f: HardshipFile) -> dict:
    return {
        "建档工会": f.org.name, "状态": f.status_label, "困难类别": f.get_category_display(),
        "主要致困原因": f.get_main_cause_display(), "当年损失（元）": _plain(f.losses_enc),
        "开户银行": f.bank_name, "帮扶账户": _plain(f.bank_account_enc),
        "解困原因": f.exit_reason, "解困日期": f.exited_on.isoformat() if f.exited_on else "",
        "家庭成员": [
            {"关系": m.get_relation_display(), "姓名": m.name, "身份证号码": crypto.decrypt(m.id_number_enc),
             "健康状况": _plain(m.health_enc), "就学情况": m.get_schooling_display(), "就业情况": m.work,
             "月收入（元）": _plain(m.monthly_income_enc)}
            for m in f.household.all()
        ],
        "其他收入（元/年）": {i.get_kind_display(): crypto.decrypt(i.annual_enc) for i in f.incomes.all()},
        "刚性支出（元/年）": {e.get_kind_display(): crypto.decrypt(e.annual_enc) for e in f.expenses.all()},
        "帮扶资金": [
            {"类型": p.get_kind_display(), "期间": p.period, "金额（元）": str(p.amount), "资金来源": p.fund_source,
             "发放日期": p.paid_on.isoformat(), "领取人": p.received_by}
            for p in f.payments.all()
        ],
    }  # fmt: skip


def files_section(person: Person) -> list[dict]:
    """Every file of the person (as the member whose household it is)."""
    files = HardshipFile.objects.filter(person=person).select_related("org").order_by("created_at", "id")
    return [_file(f) for f in files]
