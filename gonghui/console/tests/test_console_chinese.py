"""The consoles speak Chinese: audit actions by their catalogue labels, objects by name, details as fields (not
JSON); worker accounts — members' and applicants' — listed as 职工 under a masked name."""

from django.urls import reverse

from gonghui.accounts.services import grant_create
from gonghui.core.audit import audit_record
from gonghui.joining.tests.conftest import submit
from gonghui.orgs.services import org_update


def test_the_audit_log_reads_in_chinese(client, admins):
    org_update(actor=admins.users.province_admin, org=admins.orgs.company, version=admins.orgs.company.version,
               name="杭州鸿达科技有限公司工会")  # fmt: skip
    grant_create(actor=admins.users.security_admin, user=admins.users.sibling_admin, org=admins.orgs.xihu,
                 role="readonly", can_unmask=False)  # fmt: skip
    client.force_login(admins.users.audit_admin)
    response = client.get(reverse("console:audit"))
    body = response.content.decode()
    assert "修改工会组织信息" in body and "授予组织角色" in body and "<code>org.update</code>" not in body
    assert 'title="org.update"' in body  # the code stays at hand for the auditor
    assert "杭州鸿达科技有限公司工会" in body  # the object by name, not "orgs.org #5"
    assert "<dt>角色</dt><dd>只读</dd>" in body and "<dt>可查看完整信息</dt><dd>否</dd>" in body
    assert '{"role"' not in body and "&quot;role&quot;" not in body  # no JSON


def test_an_account_object_is_named_and_a_worker_masked(client, admins):
    audit_record(actor=admins.users.system_admin, action="account.disable", obj=admins.users.worker)
    client.force_login(admins.users.audit_admin)
    body = client.get(reverse("console:audit"), {"action": "account.disable"}).content.decode()
    assert "停用账号" in body and "职工 zhangwei（张*）" in body and "张伟" not in body


def test_an_undeclared_action_is_marked_not_hidden(client, admins):
    audit_record(actor=None, action="legacy.thing")
    client.force_login(admins.users.audit_admin)
    assert "legacy.thing（未登记的动作）" in client.get(reverse("console:audit")).content.decode()


def test_worker_accounts_are_listed_as_workers_under_masked_names(client, admins):
    application = submit(name="赵强")  # an applicant: signed in by phone, no member record yet
    client.force_login(admins.users.system_admin)
    response = client.get(reverse("console:accounts"))
    rows = {account.username: account for account in response.context["rows"]}
    applicant = rows[application.account.username]
    assert applicant.kind == "职工" and applicant.shown_name == "赵*"
    assert rows["zhangwei"].kind == "职工" and rows["zhangwei"].shown_name == "张*"
    assert rows[admins.users.province_admin.username].kind == "工会工作人员"
    assert rows[admins.users.security_admin.username].kind == "安全管理员"
    body = response.content.decode()
    assert "赵强" not in body and "张伟" not in body


def test_the_action_filter_offers_the_catalogue(client, admins):
    client.force_login(admins.users.audit_admin)
    body = client.get(reverse("console:audit")).content.decode()
    assert '<option value="account.reset">重置账号（安全管理员）</option>' in body and 'list="gh-audit-actions"' in body
