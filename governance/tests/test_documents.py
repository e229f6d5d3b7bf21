"""决议 and 表决记录 as an office files them: numbered per alliance and year (〔2026〕3号), dated on the meeting's day
or the close of a vote by correspondence, with the seal's place, inside the printable area, labels unwrapped and no
page left with a stray line."""

import datetime

import pytest
from django.utils import timezone

from alliance.dates import cn_date_numerals
from alliance.tests import pdf_layout
from governance import services
from governance.models import Meeting
from governance.services.documents import BRIEFING, RESULT
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, council_with_directors

from .helpers import check_in

MARGINS = (20, 18, 20, 18)  # static/pdf/base.css: @page { margin: 20mm 18mm }


def pdfs_of(result):
    """The resolution and the vote record (minutes), as the worker renders them."""
    minutes, resolution = pdf_layout.rendered(RESULT, result)
    return resolution, minutes




def voted(body, seats, *, text="", **meeting):
    motion = MotionFactory(meeting=MeetingFactory(body=body, **meeting), text=text)
    if motion.meeting.counts_attendance:
        check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    return services.vote_close(actor=None, motion=motion)


@pytest.mark.django_db
def test_resolution_and_vote_record_carry_the_alliances_number_the_meeting_day_and_the_seal_inside_the_page():
    body, seats = council_with_directors(3)
    body.alliance.short_name = "靠谱 COP"
    body.alliance.save()
    result = voted(body, seats)
    assert result.document_number == f"靠谱COP〔{timezone.localdate().year}〕1号"
    for pdf in pdfs_of(result):
        text = pdf_layout.text(pdf, layout=True)
        assert result.document_number in text
        assert cn_date_numerals(timezone.localdate()) in text and "（盖章）" in text
        # The longest label stays on one line.
        assert "通过所需赞成票" in text
        pdf_layout.assert_inside_printable(pdf, margins=MARGINS)


@pytest.mark.django_db
def test_documents_are_numbered_one_after_another_per_alliance_and_year():
    body, seats = council_with_directors(3)
    other, other_seats = council_with_directors(3)
    numbers = [voted(body, seats).number, voted(body, seats).number, voted(other, other_seats).number]
    assert numbers == [1, 2, 1]


@pytest.mark.django_db
def test_a_vote_by_correspondence_is_dated_on_its_close_and_names_its_form_once():
    body, seats = council_with_directors(3, correspondence_allowed=True)
    result = voted(body, seats, form=Meeting.Form.CORRESPONDENCE, title="理事会2026年第二次会议（通讯形式）",
                   date=timezone.localdate() - datetime.timedelta(days=10),
                   correspondence_deadline=timezone.now() + datetime.timedelta(days=1))
    assert result.document_date == timezone.localdate()
    resolution, minutes = (pdf_layout.text(pdf, layout=True) for pdf in pdfs_of(result))
    assert resolution.count("通讯形式") == 1 and "表决于" in resolution
    assert "（通讯形式）" not in minutes
    for text in (resolution, minutes):
        assert cn_date_numerals(timezone.localdate()) in text


@pytest.mark.django_db
def test_a_long_resolution_leaves_no_page_with_a_stray_line():
    body, seats = council_with_directors(3)
    paragraph = "为进一步规范联盟成员管理，明确成员的权利与义务，保障联盟各项工作有序开展，" * 6
    for paragraphs in (9, 10, 11, 12):  # the text ends at different places on the second page
        result = voted(body, seats, text="\n".join([paragraph] * paragraphs))
        resolution = pdfs_of(result)[0]
        pages = pdf_layout.page_count(resolution)
        assert pages >= 2
        last = pdf_layout.Page(resolution, page=pages)
        inked = last.inked_rows()
        # The seal's place (42 mm) never stands alone: a paragraph's last lines come with it.
        assert (inked[-1] - inked[0]) / last.px_per_mm > 55, last.kept()
        for page in range(1, pages + 1):
            pdf_layout.assert_inside_printable(resolution, margins=MARGINS, page=page)


@pytest.mark.django_db
def test_a_briefing_stays_inside_its_printable_area():
    body = BodyFactory(name="理事会")
    briefing = services.briefing_create(
        actor=None, alliance=body.alliance, issued_on=datetime.date(2026, 12, 2), issuers=[body],
        reported_to="教育部教师工作司", distributed_to="联盟成员单位", contact="联盟秘书处 （010）58800182",
        articles=[(1, "联盟召开年度工作会议", "\n\n".join(["会议总结了一年来的工作，部署了下一年度的重点任务。" * 4] * 12))],
    )
    services.briefing_publish(actor=None, briefing=briefing)
    [pdf] = pdf_layout.rendered(BRIEFING, briefing)
    # governance/pdf/briefing.html: @page { margin: 25mm 22mm 22mm }; the page number sits in the bottom margin's
    # middle, and nothing else does.
    pages = pdf_layout.page_count(pdf)
    assert pages >= 2
    for page in range(1, pages + 1):
        pdf_layout.assert_inside_printable(pdf, margins=(25, 22, 22, 22), page=page,
                                           margin_boxes=[(95, 297 - 22, 115, 297)])
