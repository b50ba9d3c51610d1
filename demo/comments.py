"""Demo comments for seed_demo: a few threads under the most-read articles."""

import random
from collections import Counter
from datetime import timedelta

from accounts.models import User
from articles.models import Article
from comments.models import Comment, CommentVote
from comments.services import refresh_comment_count

READERS = [
    ("reader", "독자"),
    ("minji", "민지"),
    ("engineer_k", "현장엔지니어K"),
    ("sejin", "세진"),
]
GUESTS = ["지나가던 독자", "공장장", "부품업체 직원"]
COMMENTS = [
    "현장에서 일하는 입장에서 정말 반가운 소식입니다. "
    "실제로 중소기업까지 지원이 닿았으면 좋겠네요.",
    "기사 잘 읽었습니다. 후속 보도도 부탁드립니다.",
    "숫자만 보면 좋아 보이지만 인력 문제는 여전히 숙제인 것 같습니다.",
    "작년에도 비슷한 발표가 있었는데 달라진 점이 무엇인지 궁금합니다.",
    "수출이 늘었다니 다행이네요. 환율 영향은 얼마나 되는지도 알고 싶습니다.",
    "우리 공장도 내년에 도입을 검토 중인데 참고가 많이 됐습니다.\n좋은 기사 감사합니다.",
    "지방 산업단지에도 이런 투자가 이어지길 바랍니다.",
    "기술 표준이 먼저 정리돼야 할 것 같아요. 업체마다 방식이 달라 호환이 어렵습니다.",
]
REPLIES = [
    "동감합니다. 현장 목소리가 더 반영됐으면 합니다.",
    "관련 자료는 협회 누리집에서 찾아볼 수 있어요.",
    "저희 회사도 같은 고민을 하고 있습니다.",
]


def seed_comments(tally: Counter) -> None:
    """Comments, replies and likes on the ten most-read articles that have none yet."""
    rng = random.Random(7)  # noqa: S311 (demo text, not secrets)
    readers = []
    for username, display_name in READERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name}
        )
        if created:
            user.set_unusable_password()
            user.save()
        readers.append(user)
    for article in Article.objects.published().order_by("-view_count")[:10]:
        if article.comments.exists():
            continue
        start = article.published_at + timedelta(minutes=30)
        for n, text in enumerate(rng.sample(COMMENTS, rng.randint(3, 6))):
            author = rng.choice([*readers, None])
            comment = Comment.objects.create(
                article=article,
                user=author,
                guest_name="" if author else rng.choice(GUESTS),
                body=text,
                created_at=start + timedelta(minutes=17 * n),
            )
            tally["comments"] += 1
            for voter in rng.sample(readers, rng.randint(0, len(readers))):
                CommentVote.objects.create(comment=comment, user=voter, value=1)
                comment.likes += 1
            comment.save(update_fields=["likes"])
            if n == 0:
                Comment.objects.create(
                    article=article,
                    parent=comment,
                    user=rng.choice(readers),
                    body=rng.choice(REPLIES),
                    created_at=comment.created_at + timedelta(minutes=5),
                )
                tally["comments"] += 1
        refresh_comment_count(article.pk)
