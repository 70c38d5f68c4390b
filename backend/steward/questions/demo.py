"""Demo questions: what 丽水湾 and 庄行新苑 residents ask the committee, answered, open and closed; one answer
kept as guide material."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..people.models import Role, User
from .models import QUEUE_RANK, Question, QuestionMessage

# asker's phone, question, [(from committee?, text, hours later)], status, days ago, guide title
QUESTIONS = (
    ("13800000005", "请问老年人乘车卡（敬老卡）在哪里办理？需要带什么材料？",
     [(True, "年满65周岁可到镇社区事务受理服务中心办理，带身份证和一寸照片一张，当场受理，15个工作日后到居委会领取。", 3)],
     "answered", 6, "敬老卡办理"),
    ("13800000005", "小区里的大件垃圾（旧沙发）应该放在哪里？",
     [(True, "请放到东门垃圾房旁的大件垃圾堆放点，每周三、周六由环卫清运；也可以打物业电话预约上门。", 2),
      (False, "谢谢，已经放好了。", 20)], "closed", 14, None),
    ("13800000005", "楼下邻居空调外机滴水到我家窗台，可以请居委会帮忙协调吗？", [], "open", 1, None),
    ("13800000007", "医保卡丢了怎么补办？", [(True, "可在“随申办”App 申请补卡，也可带身份证到镇社区事务受理服务中心办理。", 5)],
     "answered", 4, None),
    ("13800000007", "小区什么时候组织接种流感疫苗？", [], "open", 0, None),
)


def seed_questions(session: Session) -> int:
    now = utcnow()
    made = 0
    for phone, body, thread, status, days, guide in QUESTIONS:
        asker = session.scalar(select(User).where(User.phone == phone))
        if asker is None or asker.resident is None:
            continue
        community = "/".join(asker.area_path.split("/")[:3]) + "/"
        answerer = session.scalar(select(User).where(User.role == Role.STAFF, User.area_path == community))
        created = now - timedelta(days=days, hours=2)
        q = Question(community_id=int(community.strip("/").split("/")[1]), area_path=asker.resident.household.area_path,
                     asker_id=asker.id, body=body, status=status, queue_rank=QUEUE_RANK[status],
                     messages_count=len(thread), created_at=created, updated_at=created,
                     saved_as_guide=guide is not None, guide_title=guide)
        session.add(q)
        session.flush()
        for from_committee, text, hours in thread:
            at = created + timedelta(hours=hours)
            session.add(QuestionMessage(question_id=q.id, author_id=answerer.id if from_committee and answerer else asker.id,
                                        is_answer=from_committee, body=text, created_at=at))
            if from_committee and q.answered_at is None:
                q.answered_at = at
            q.updated_at = at
        if status == "closed":
            q.closed_at = q.updated_at
        made += 1
    session.flush()
    return made
