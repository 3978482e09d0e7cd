"""Reads of consents and requests: a worker reads their own; a cadre reads within scope (orgs.access)."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gonghui.members.models import Person
from gonghui.orgs import access
from gonghui.privacy.models import ConsentRecord, DataExport, DataSubjectRequest

NO_PERSON_MESSAGE = "此页面供会员本人管理自己的个人信息；您的账号没有关联会员档案。"


def own_person(user) -> Person:
    """The signed-in worker's own person record (403 for an account without one)."""
    if user.person_id is None:
        raise access.deny(user, NO_PERSON_MESSAGE)
    return user.person


def consents_of(person: Person) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(person=person).order_by("withdrawn_at", "-given_at", "-id")


def own_consents(user) -> QuerySet[ConsentRecord]:
    """The signed-in user's consents: their person's, and those given by the account before it had a person
    (an applicant's, when joining). An account with neither is refused (403), like every page of own data."""
    mine = Q(account=user) | (Q(person_id=user.person_id) if user.person_id else Q(pk__in=[]))
    consents = ConsentRecord.objects.filter(mine).order_by("withdrawn_at", "-given_at", "-id")
    if user.person_id is None and not consents.exists():
        own_person(user)
    return consents


def own_consent(user, pk: int) -> ConsentRecord:
    consent = own_consents(user).filter(pk=pk).select_related("person").first()
    if consent is None:
        raise Http404("同意记录不存在")
    return consent


def requests_of(person: Person) -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.filter(person=person).select_related("export").order_by("-received_at", "-id")


def own_export(user, pk: int) -> DataExport:
    """The export file of one of the worker's own completed requests (404 otherwise)."""
    export = (
        DataExport.objects.filter(request__person=own_person(user), request__pk=pk,
                                  request__status=DataSubjectRequest.Status.COMPLETED)
        .select_related("request__person")
        .first()
    )  # fmt: skip
    if export is None:
        raise Http404("导出文件不存在或已过期")
    return export


def requests_visible_to(user, *, open_only: bool = True) -> QuerySet[DataSubjectRequest]:
    """The request queue: requests of people in the user's scope, the most urgent first."""
    access.require_cadre(user)
    requests = DataSubjectRequest.objects.in_scope(user).select_related("person")
    if open_only:
        requests = requests.filter(status__in=DataSubjectRequest.OPEN)
        return requests.order_by("due_on", "id")
    return requests.order_by("-received_at", "-id")


def is_overdue(request: DataSubjectRequest) -> bool:
    return request.is_open and request.due_on < timezone.localdate()
