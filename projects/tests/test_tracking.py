"""Pairings (004 一), activities entered by a community's leader or the county's organiser, staff confirmation."""


import pytest
from django.core.exceptions import ValidationError

from alliance.tests.factories import staff_of
from projects import services

from .factories import ProjectFactory, community_application, county_application, organiser_of, subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def finals(project):
    organiser = organiser_of(project)
    return (staff_of(project.alliance), organiser_of(project, province="甘肃省"),
            county_application(project, organiser, status="final"),
            community_application(project, organiser, status="final", grade=3))


def test_pairing_a_community_as_another_subject_is_refused_with_the_reason(project, finals):
    staff, _, county, community = finals
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=staff, community=community, county=county,
                                subject=subject(project, name="数学"), grade=4)
    assert exc.value.message_dict["subject"] == ["该名师教研共同体遴选的是小学语文三年级，不能按小学数学四年级结对。"]


def test_pairing_a_community_as_another_grade_is_refused_with_the_reason(project, finals):
    staff, _, county, community = finals
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=staff, community=community, county=county, subject=subject(project), grade=4)
    assert exc.value.message_dict["grade"] == ["该名师教研共同体遴选的是小学语文三年级，不能按小学语文四年级结对。"]


def test_pairing_with_a_county_without_that_subjects_community_is_refused(project, finals):
    staff, _, county, _ = finals
    maths = community_application(project, county.created_by, status="final", subject=subject(project, name="数学"))
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=staff, community=maths, county=county, subject=subject(project, name="数学"),
                                grade=3)
    assert "没有小学数学县域教研共同体" in exc.value.message_dict["county"][0]


def test_pairing_of_the_same_stage_subject_and_grade_is_accepted(project, finals):
    staff, _, county, community = finals
    pairing = services.pairing_create(actor=staff, community=community, county=county, subject=subject(project),
                                      grade=3)
    assert pairing.pk and pairing.project == project
