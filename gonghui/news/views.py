"""资讯通知 pages: the cadres' list, writing, review and receipts; the member's feed and reading on the phone;
the public articles for anyone. Views validate and call services or selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.cases.selectors import moves
from gonghui.core.errors import ConflictError
from gonghui.core.groups import labels as group_labels
from gonghui.core.lists import list_rows, render_list
from gonghui.core.web import flashed, int_param
from gonghui.members.models import EmploymentForm
from gonghui.news import selectors, services
from gonghui.news.forms import ArticleForm
from gonghui.news.lists import ARTICLES
from gonghui.news.models import Status
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org


@login_required
def article_list(request):
    access.require_cadre(request.user)
    listing = list_rows(request, ARTICLES)
    context = {**listing.context(), "filter_form": ARTICLES.filter_form(request.GET), "nav": "news"}
    return render_list(request, "news/list.html", "news/_rows.html", context)


def _form(request, data=None, initial=None):
    writable = org_selectors.writable_orgs(request.user)
    tops = [o for o in access.top_orgs(request.user) if access.can_write(request.user, o)]
    depth = min((o.depth for o in tops), default=0)
    below = writable.filter(depth__gt=depth, depth__lte=depth + 2) if tops else writable.none()  # two levels down
    initial = initial or ({"org": tops[0]} if tops else None)
    return ArticleForm(data, initial=initial, orgs=writable.order_by("path"), targets=below.order_by("path"))


def _fields(form) -> dict:
    data = dict(form.cleaned_data)
    data["forms"] = data.pop("employment_forms")
    data["targets"] = list(data["targets"])
    return data


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request):
    access.require_cadre(request.user)
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, **_fields(form))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "草稿已保存，提交审核并由其他工作人员审核通过后发布。")
            return redirect("news:detail", pk=article.pk)
    return render(request, "news/edit.html", {"form": form, "nav": "news"}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int):
    article = selectors.article_for_write(request.user, pk)
    initial = {"org": article.org, "kind": article.kind, "category": article.category, "title": article.title,
               "body": article.body, "audience": article.audience, "targets": [t.org for t in article.targets.all()],
               "employment_forms": article.form_list, "groups": article.group_list,
               "receipt_required": article.receipt_required,
               "publish_at": article.publish_at}  # fmt: skip
    form = _form(request, request.POST or None, initial=initial)
    form.fields["org"].disabled = True
    if request.method == "POST" and form.is_valid():
        fields = _fields(form)
        fields.pop("org")
        try:
            services.article_update(actor=request.user, article=article,
                                    version=int_param(request.POST.get("version")), **fields)  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已保存。")
            return redirect("news:detail", pk=article.pk)
    from gonghui.news.policy import image_max_mb

    context = {"form": form, "article": article, "image_max_mb": image_max_mb(), "nav": "news"}
    return render(request, "news/edit.html", context, status=400 if form.errors else 200)


@login_required
def article_detail(request, pk: int):
    article = selectors.article_for_read(request.user, pk)
    steps = moves(article.case, request.user)
    own_review = article.status == Status.REVIEWING and article.author_id == request.user.pk
    if own_review:
        steps = []
    labels = dict(Status.choices)
    history = [(s, labels.get(s.to_status, s.to_status)) for s in article.case.steps.select_related("actor")]
    forms_label = "、".join(EmploymentForm(f).label for f in article.form_list)
    context = {"a": article, "moves": steps, "own_review": own_review, "history": history, "forms_label": forms_label,
               "groups_label": group_labels(article.group_list),
               "can_write": access.can_write(request.user, article.org), "nav": "news"}  # fmt: skip
    return render(request, "news/detail.html", context)


@login_required
@require_POST
def article_step(request, pk: int):
    article = selectors.article_for_write(request.user, pk)
    with flashed(request, "已办理。"):
        services.article_step(
            actor=request.user,
            article=article,
            to=request.POST.get("to", ""),
            version=int_param(request.POST.get("version")),
            note=request.POST.get("note", ""),
        )
    return redirect("news:detail", pk=pk)


@login_required
@require_POST
def article_pin(request, pk: int):
    article = selectors.article_for_write(request.user, pk)
    with flashed(request):
        services.article_pin(actor=request.user, article=article, pinned=request.POST.get("pinned") == "1",
                             version=int_param(request.POST.get("version")))  # fmt: skip
    return redirect("news:detail", pk=pk)


@login_required
def receipts(request, pk: int):
    """阅读回执: counts per union below a node of the article's tree, drilling down; the readers of the node."""
    article = selectors.article_for_read(request.user, pk)
    raw = request.GET.get("org")
    node = selectors.receipt_node(request.user, article, int_param(raw) if raw else None)
    trail = list(Org.objects.filter(path__in=node.ancestor_paths(), path__startswith=article.org.path)
                 .filter(access.scope_q(request.user)).order_by("path"))  # fmt: skip
    context = {"a": article, "node": node, "trail": trail, "rows": selectors.receipt_breakdown(article, node),
               "readers": selectors.readers_at(article, node, int_param(request.GET.get("page", 1)) or 1),
               "nav": "news"}  # fmt: skip
    return render(request, "news/receipts.html", context)


@login_required
@require_POST
def image_add(request, pk: int):
    """插入图片 into a draft (the edit page's second form)."""
    article = selectors.article_for_write(request.user, pk)
    with flashed(request, "图片已插入正文末尾，可在正文中移动到合适位置后保存。"):
        services.image_add(actor=request.user, article=article, file=request.FILES.get("image"),
                           version=int_param(request.POST.get("version")), alt=request.POST.get("alt", ""))  # fmt: skip
    return redirect("news:edit", pk=pk)


@require_GET
def image(request, pk: int):
    """An article image, decrypted as it is sent, to whoever may read its article (anyone for a public one)."""
    from django.http import FileResponse

    from gonghui.core import files
    from gonghui.news.services import IMAGE_KINDS

    row, public = selectors.image_for_view(request.user, pk)
    if not files.exists(row.file_path):
        from django.http import Http404

        raise Http404("图片不存在")
    response = FileResponse(files.open_private(row.file_path), content_type=IMAGE_KINDS[row.file_kind][1])
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


# ----- the member ------------------------------------------------------------------------------------------------


@login_required
def feed(request):
    """资讯通知 (phone first): what reaches the member from their union and every union above it."""
    q = " ".join(request.GET.get("q", "").split())[:60]
    rows = list(selectors.feed_for(request.user, q=q))
    return render(request, "news/feed.html", {"rows": rows, "q": q, "nav": "me"})


@login_required
def read(request, pk: int):
    article = selectors.feed_article(request.user, pk)
    reading = services.reading_mark(user=request.user, article=article)
    likes, liked = selectors.likes_of(article, reading.person_id)
    context = {"a": article, "reading": reading, "comments": selectors.comments_shown(article, reading.person_id),
               "likes": likes, "liked": liked, "nav": "me"}  # fmt: skip
    return render(request, "news/read.html", context)


@login_required
@require_POST
def confirm(request, pk: int):
    article = selectors.feed_article(request.user, pk)
    with flashed(request, "已确认阅读。"):
        services.receipt_confirm(actor=request.user, article=article)
    return redirect("news:read", pk=pk)


# ----- anyone ----------------------------------------------------------------------------------------------------


def public(request):
    from django.core.paginator import Paginator

    page = Paginator(selectors.public_articles(), 20).get_page(int_param(request.GET.get("page", 1)) or 1)
    return render(request, "news/public.html", {"page": page})


def public_detail(request, pk: int):
    return render(request, "news/public_detail.html", {"a": selectors.public_article(pk)})


# ----- comments and likes ----------------------------------------------------------------------------------------


@login_required
@require_POST
def comment(request, pk: int):
    article = selectors.feed_article(request.user, pk)
    with flashed(request) as outcome:
        row = services.comment_create(actor=request.user, article=article, text=request.POST.get("text", ""))
        outcome.success = "评论已发表。" if row.status == "approved" else "评论已提交，审核通过后显示。"
    return redirect("news:read", pk=pk)


@login_required
@require_POST
def like(request, pk: int):
    article = selectors.feed_article(request.user, pk)
    with flashed(request):
        services.like_toggle(actor=request.user, article=article)
    return redirect("news:read", pk=pk)


@login_required
def comments_queue(request):
    """评论审核: the pending comments in scope; the unions' 先审后发 setting."""
    access.require_cadre(request.user)
    from django.core.paginator import Paginator

    page = Paginator(selectors.pending_comments(request.user), 30).get_page(int_param(request.GET.get("page", 1)) or 1)
    orgs = [(o, services.premoderated(o)) for o in access.top_orgs(request.user) if access.can_manage(request.user, o)]
    return render(request, "news/comments.html", {"page": page, "orgs": orgs, "nav": "news"})


@login_required
@require_POST
def moderate(request, pk: int):
    row = selectors.comment_for_write(request.user, pk)
    with flashed(request):
        services.comment_moderate(actor=request.user, comment=row, approve=request.POST.get("approve") == "1")
    return redirect("news:comments")


@login_required
@require_POST
def moderation(request):
    access.require_cadre(request.user)
    org = Org.objects.filter(pk=int_param(request.POST.get("org"))).first()
    if org is None:
        from django.http import Http404

        raise Http404("组织不存在")
    services.moderation_set(actor=request.user, org=org, premoderate=request.POST.get("premoderate") == "1")
    messages.success(request, "已保存评论审核设置。")
    return redirect("news:comments")


@login_required
@require_http_methods(["GET", "POST"])
def words(request):
    """敏感词 (the system administrator)."""
    from gonghui.news.models import SensitiveWord

    if request.user.platform_role != "system":
        raise access.deny(request.user, "敏感词由系统管理员维护。")
    error = ""
    if request.method == "POST":
        try:
            services.word_add(actor=request.user, word=request.POST.get("word", ""))
        except ValidationError as problem:
            error = "；".join(problem.messages)
        else:
            return redirect("news:words")
    context = {"words": SensitiveWord.objects.all(), "error": error, "nav": "news"}
    return render(request, "news/words.html", context, status=400 if error else 200)


@login_required
@require_POST
def word_remove(request, pk: int):
    from django.shortcuts import get_object_or_404

    from gonghui.news.models import SensitiveWord

    if request.user.platform_role != "system":
        raise access.deny(request.user, "敏感词由系统管理员维护。")
    services.word_remove(actor=request.user, word=get_object_or_404(SensitiveWord, pk=pk))
    return redirect("news:words")
