"""宣讲与班组学习 pages: the cadres' list (core.lists, exportable), registering a session with a speaker picked
from the model-worker registry by search, a session's attendees and materials; the member's sessions on the
phone and signing in on the day."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.core import files
from gonghui.core.audit import audit_record
from gonghui.core.lists import list_rows, render_list
from gonghui.core.masking import mask_name
from gonghui.core.web import flashed
from gonghui.news import talk_selectors as selectors
from gonghui.news import talk_services as services
from gonghui.news.forms import TalkForm
from gonghui.news.lists import TALKS
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors


@login_required
def talks(request):
    access.require_cadre(request.user)
    listing = list_rows(request, TALKS)
    context = {**listing.context(), "filter_form": TALKS.filter_form(request.GET), "nav": "news"}
    return render_list(request, "news/talks.html", "news/_talk_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def talk_new(request):
    access.require_cadre(request.user)
    writable = org_selectors.writable_orgs(request.user)
    tops = [o for o in access.top_orgs(request.user) if access.can_write(request.user, o)]
    form = TalkForm(request.POST or None, orgs=writable, initial={"org": tops[0]} if tops else None)
    speaker = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        speaker_id = data.pop("speaker")
        if speaker_id:
            speaker = selectors.speakers_for(request.user).filter(pk=speaker_id).first()
            if speaker is None:
                form.add_error(None, "只能从本级、下属或上级工会的劳模名册中选择主讲人。")
        if not form.errors:
            try:
                talk = services.talk_create(actor=request.user, speaker=speaker, **data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "已登记。会员可在“宣讲学习”中看到并在当天签到。")
                return redirect("news:talk_detail", pk=talk.pk)
    context = {"form": form, "speaker": speaker, "nav": "news"}
    return render(request, "news/talk_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def speaker_options(request):
    """The model workers matching a name, as choices for the form (htmx)."""
    access.require_cadre(request.user)
    rows = selectors.speaker_options(request.user, request.GET.get("speaker_q", ""))
    return render(request, "news/_speaker_options.html", {"rows": rows, "q": request.GET.get("speaker_q", "")})


@login_required
def talk_detail(request, pk: int):
    talk = selectors.talk_for_read(request.user, pk)
    can_unmask = access.can_unmask(request.user, talk.org)
    attendees = [(a, a.person.name if can_unmask else mask_name(a.person.name)) for a in selectors.attendees_of(talk)]
    context = {"t": talk, "attendees": attendees, "materials": talk.materials.order_by("created_at", "pk"),
               "can_write": access.can_write(request.user, talk.org), "nav": "news"}  # fmt: skip
    return render(request, "news/talk_detail.html", context)


@login_required
@require_POST
def material_add(request, pk: int):
    talk = selectors.talk_for_write(request.user, pk)
    file = request.FILES.get("file")
    with flashed(request, "材料已上传（加密保存）。"):
        services.material_add(actor=request.user, talk=talk, file=file, file_name=getattr(file, "name", ""))
    return redirect("news:talk_detail", pk=pk)


@login_required
@require_GET
def material_download(request, pk: int):
    row = selectors.material_for_download(request.user, pk)
    if not files.exists(row.file_path):
        raise Http404("文件已不存在")
    audit_record(actor=request.user, action="news.talk_material_download", obj=row, org=row.talk.org)
    return FileResponse(files.open_private(row.file_path), as_attachment=True, filename=row.file_name)


# ----- the member ------------------------------------------------------------------------------------------------


@login_required
def my_talks(request):
    upcoming, attended = selectors.talks_for(request.user)
    now = timezone.now()
    rows = [(t, *services.checkin_window(t)) for t in upcoming]
    context = {"rows": [(t, opens <= now <= closes) for t, opens, closes in rows], "attended": attended, "nav": "me"}
    return render(request, "news/my_talks.html", context)


@login_required
@require_POST
def checkin(request, pk: int):
    talk = selectors.talk_for_member(request.user, pk)
    with flashed(request, f"已签到：{talk.topic}"):
        services.talk_checkin(actor=request.user, talk=talk)
    return redirect("news:my_talks")
