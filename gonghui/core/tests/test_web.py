"""core.web.flashed: a write's outcome as the one flashed message the views give."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from gonghui.core.errors import ConflictError
from gonghui.core.web import flashed


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def flashes(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_a_write_that_goes_through_flashes_its_success(request_):
    with flashed(request_, "已保存。") as outcome:
        pass
    assert outcome.done and flashes(request_) == [("success", "已保存。")]


def test_the_success_may_name_what_the_write_returned(request_):
    with flashed(request_) as outcome:
        made = 3
        outcome.success = f"已颁发 {made} 张证书。"
    assert flashes(request_) == [("success", "已颁发 3 张证书。")]


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (ValidationError(["金额应大于 0。", "请选择工会。"]), "金额应大于 0。；请选择工会。"),
        (ValidationError({"amount": ["金额应大于 0。"]}), "金额应大于 0。"),
        (ConflictError(), "该记录已被他人修改，请刷新后重新编辑。"),
    ],
)
def test_a_refusal_is_flashed_in_chinese_and_nothing_is_said_to_have_been_done(request_, error, shown):
    with flashed(request_, "已保存。") as outcome:
        raise error
    assert not outcome.done and flashes(request_) == [("error", shown)]


def test_any_other_error_is_not_swallowed(request_):
    with pytest.raises(KeyError), flashed(request_, "已保存。"):
        {}["missing"]
    assert flashes(request_) == []
