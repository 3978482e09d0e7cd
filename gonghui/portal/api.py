"""/api/v1/me: who the caller is — account, grants, and for a worker their own (masked) membership."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema

from gonghui.accounts.models import User
from gonghui.core.api import ERRORS
from gonghui.members import services
from gonghui.members.api import PersonOut, person_out
from gonghui.members.selectors import current_membership
from gonghui.orgs import access
from gonghui.portal.views import card_verify_url

router = Router(tags=["本人"])


class GrantOut(Schema):
    org_id: int = Field(description="授权的组织 ID（授权覆盖其全部下级）")
    org_name: str = Field(description="组织名称")
    role: str = Field(description="角色：admin 管理员，staff 工作人员，readonly 只读")
    role_label: str = Field(description="角色名称")
    can_unmask: bool = Field(description="可查看完整个人信息")


class MeOut(Schema):
    username: str = Field(description="用户名")
    display_name: str = Field(description="姓名")
    platform_role: User.PlatformRole = Field(description="平台管理角色（三员：system、security、audit；空为无）")
    platform_role_label: str = Field(description="平台管理角色名称")
    grants: list[GrantOut] = Field(description="组织授权")
    person: PersonOut | None = Field(description="职工本人的档案和会籍（脱敏）；非职工账号为空")


@router.get("", response={200: MeOut, **ERRORS}, summary="当前账号")
def me(request):
    """任何已认证账号可用：账号信息、组织授权；职工账号另含本人脱敏的档案和会籍记录。"""
    user = request.auth
    grants = [
        {"org_id": g.org_id, "org_name": g.org.name, "role": g.role, "role_label": g.get_role_display(),
         "can_unmask": g.can_unmask}
        for g in access.grants_of(user)
    ]  # fmt: skip
    return {
        "username": user.username,
        "display_name": user.display_name,
        "platform_role": user.platform_role,
        "platform_role_label": user.get_platform_role_display(),
        "grants": grants,
        "person": person_out(None, user.person) if user.person_id else None,
    }


class CardOut(Schema):
    card_number: str = Field(description="会员证号")
    org_name: str = Field(description="所在工会")
    joined_on: dt.date = Field(description="入会日期")
    verify_url: str = Field(description="核验地址：生成二维码出示给他人扫码核验（不显示个人信息）")


@router.get("/card", response={200: CardOut, **ERRORS}, summary="我的电子会员证")
def my_card(request):
    """职工本人的电子会员证；首次查看时签发。作废请用 POST /members/{person_id}/card/revoke。"""
    user = request.auth
    if user.person is None:
        raise PermissionDenied("此接口供会员本人使用；您的账号没有关联会员档案。")
    membership = current_membership(user.person)
    if membership is None:
        raise Http404("没有有效会籍")
    services.ecard_issue(actor=user, membership=membership)
    return {"card_number": membership.card_number, "org_name": membership.org.name, "joined_on": membership.joined_on,
            "verify_url": card_verify_url(request, membership)}  # fmt: skip
