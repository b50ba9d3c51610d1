from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from caching.csrf import on_csrf_failure
from web.pagination import paginate
from web.ratelimit import client_ip

from . import services
from .forms import (
    CommentEditForm,
    CommentForm,
    CommentReportForm,
    GuestCommentDeleteForm,
    GuestCommentEditForm,
    whole_number,
)
from .models import Comment, CommentVote
from .threads import thread_url


def reader_required(view):
    """Owner-only endpoints answer anonymous visitors with 403 and a way to log in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            # After logging in, come back here, or to the page a POST came from.
            next_url = request.get_full_path()
            if request.method != "GET":
                next_url = request.headers.get("Referer", "")
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = ""
            return render(
                request, "comments/login_required.html", {"next_url": next_url}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapper


def refused(request, error: services.CommentRefused, template: str, context: dict):
    return render(request, template, {**context, "refusal": error.message}, status=error.status)


def comment_resubmit(request, article_pk):
    """A comment whose form's security check failed: shown again, text kept, ready to send."""
    article = get_object_or_404(Article.objects.published(), pk=article_pk)
    form = CommentForm(request.POST, user=request.user)
    form.errors.clear()  # the text is not judged until it is sent again
    return render(
        request,
        "comments/comment_form.html",
        {
            "article": article,
            "form": form,
            # A password is never written back into a page, so a guest types theirs again.
            # Not only a page left open long: a first visit without JavaScript has no
            # security cookie yet (shared pages carry no token; caching.csrf).
            "refusal": _("For your security, please press Post once more. Your text has been kept.")
            if request.user.is_authenticated
            else _(
                "For your security, please enter your password again and press Post. "
                "Your text has been kept."
            ),
        },
        status=403,
    )


@require_POST
@on_csrf_failure(comment_resubmit)
def comment_post(request, article_pk):
    article = get_object_or_404(Article.objects.published(), pk=article_pk)
    form = CommentForm(request.POST, user=request.user)
    parent = None
    if parent_pk := whole_number(request.POST.get("parent", "").strip()):
        parent = Comment.objects.filter(pk=parent_pk).first()
    context = {"article": article, "form": form, "parent": parent}
    if not form.is_valid():
        return render(request, "comments/comment_form.html", context)
    try:
        comment = services.comment_post(
            article=article,
            user=request.user,
            body=form.cleaned_data["body"],
            guest_name=form.cleaned_data.get("guest_name", ""),
            guest_password=form.cleaned_data.get("guest_password", ""),
            parent=parent,
            ip_address=client_ip(request) or None,
        )
    except services.CommentRefused as error:
        return refused(request, error, "comments/comment_form.html", context)
    return redirect(thread_url(comment))


def comment_reply(request, pk):
    parent = get_object_or_404(
        Comment.objects.visible().select_related("article", "user"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    form = CommentForm(user=request.user, initial={"parent": parent.pk})
    return render(
        request,
        "comments/comment_form.html",
        {"article": parent.article, "form": form, "parent": parent},
    )


def own_comment(request, pk) -> Comment:
    """The reader's own comment, unless deleted: anyone else's is not found."""
    return get_object_or_404(
        Comment.objects.not_deleted().select_related("article"), pk=pk, user=request.user
    )


@reader_required
def comment_edit(request, pk):
    comment = own_comment(request, pk)
    form = CommentEditForm(request.POST or None, instance=comment)
    context = {"comment": comment, "form": form}
    try:
        # A banned reader is refused the form with the same answer as the edit.
        services.ensure_not_banned(request.user)
        if request.method == "POST" and form.is_valid():
            services.comment_edit(comment=comment, body=form.cleaned_data["body"])
            messages.success(request, _("Your comment was updated."))
            return redirect(thread_url(comment))
    except services.CommentRefused as error:
        return refused(request, error, "comments/comment_edit.html", context)
    return render(request, "comments/comment_edit.html", context)


@reader_required
def comment_delete(request, pk):
    comment = own_comment(request, pk)
    if request.method == "POST":
        services.comment_delete(comment=comment)
        messages.success(request, _("Your comment was deleted."))
        return redirect(comment.article.get_absolute_url() + "#comments")
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment})


def guest_comment(pk) -> Comment:
    """A guest's comment, unless deleted; readers' comments are managed through accounts."""
    return get_object_or_404(
        Comment.objects.not_deleted().select_related("article"), pk=pk, user=None
    )


def guest_manage(request, pk, *, form_class, template, done):
    """Edit or delete a guest's comment with its password. The form is on a page of its own,
    never in the thread cached for everyone; the password is checked (and wrong ones
    throttled) on the server, and a refusal keeps what the guest typed."""
    comment = guest_comment(pk)
    # Anyone may open these pages: a comment a moderator hid is not shown before the password.
    shown = comment.is_visible and "body" in form_class.base_fields
    initial = {"body": comment.body} if shown else None
    form = form_class(request.POST or None, initial=initial)
    context = {"comment": comment, "form": form}
    if not comment.guest_may_manage:
        refusal = services.CommentRefused(
            _("This comment was posted without a password; only moderators can change it."),
            status=403,
        )
        return refused(request, refusal, template, context)
    if request.method == "POST" and form.is_valid():
        try:
            services.guest_password_check(
                comment=comment,
                password=form.cleaned_data["password"],
                ip_address=client_ip(request) or None,
            )
        except services.CommentRefused as error:
            form.add_error("password", error.message)
            return render(request, template, context, status=error.status)
        return done(comment, form.cleaned_data)
    return render(request, template, context)


def guest_edit_resubmit(request, pk):
    """A guest's edit whose form's security check failed: shown again, the new text kept."""
    comment = guest_comment(pk)
    form = GuestCommentEditForm(request.POST)
    form.errors.clear()  # judged when it is sent again
    context = {
        "comment": comment,
        "form": form,
        "refusal": _("Your page was open for a long time. Please press Save again."),
    }
    return render(request, "comments/comment_guest_edit.html", context, status=403)


@on_csrf_failure(guest_edit_resubmit)
def comment_guest_edit(request, pk):
    def edit(comment, data):
        services.comment_edit(comment=comment, body=data["body"])
        messages.success(request, _("Your comment was updated."))
        return redirect(thread_url(comment))

    return guest_manage(
        request,
        pk,
        form_class=GuestCommentEditForm,
        template="comments/comment_guest_edit.html",
        done=edit,
    )


def comment_guest_delete(request, pk):
    def delete(comment, data):
        services.comment_delete(comment=comment)
        messages.success(request, _("Your comment was deleted."))
        return redirect(comment.article.get_absolute_url() + "#comments")

    return guest_manage(
        request,
        pk,
        form_class=GuestCommentDeleteForm,
        template="comments/comment_guest_delete.html",
        done=delete,
    )


@require_POST
@reader_required
def comment_vote(request, pk):
    comment = get_object_or_404(Comment.objects.visible(), pk=pk)
    value = {"like": CommentVote.Value.LIKE, "dislike": CommentVote.Value.DISLIKE}.get(
        request.POST.get("value")
    )
    if value is None:
        messages.error(request, _("Choose like or dislike."))
    else:
        try:
            services.comment_vote(comment=comment, user=request.user, value=value)
        except services.CommentRefused as error:
            return refused(request, error, "comments/refused.html", {"comment": comment})
    return redirect(thread_url(comment))


# Not reader_required: the 신고 link, the same in the thread cached for everyone, takes an
# anonymous reader to the login page and back here.
@login_required
def comment_report(request, pk):
    comment = get_object_or_404(Comment.objects.visible().select_related("article", "user"), pk=pk)
    if comment.user_id == request.user.pk:
        messages.info(request, _("You cannot report your own comment."))
        return redirect(thread_url(comment))
    form = CommentReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.comment_report(comment=comment, user=request.user, **form.cleaned_data):
            messages.success(request, _("Thank you. A moderator will review the comment."))
        else:
            messages.info(request, _("You have already reported this comment."))
        return redirect(thread_url(comment))
    return render(request, "comments/comment_report.html", {"comment": comment, "form": form})


@login_required
def my_comments(request):
    comments = (
        Comment.objects.by(request.user)
        .not_deleted()
        .select_related("article")
        .order_by("-created_at")
    )
    return render(request, "comments/my_comments.html", {"page_obj": paginate(request, comments)})


@require_POST
@permission_required("comments.moderate_comments", raise_exception=True)
def comment_moderate(request, pk):
    comment = get_object_or_404(Comment.objects.not_deleted(), pk=pk)
    status = {"hide": Comment.Status.HIDDEN, "restore": Comment.Status.VISIBLE}.get(
        request.POST.get("action")
    )
    if status:
        services.comments_moderate(comments=[comment], status=status)
    return redirect(thread_url(comment))


@require_POST
@permission_required("comments.moderate_comments", raise_exception=True)
def comments_open(request, article_pk):
    article = get_object_or_404(Article, pk=article_pk)
    services.set_comments_open(article=article, is_open=request.POST.get("open") == "1")
    return redirect(article.get_absolute_url() + "#comments")
