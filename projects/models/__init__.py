"""The pilot-county project's models (seed 004): the call and its tables (call.py), the three forms
(application.py), and review, 公示, letters and pairings (review.py). Each file imports only those before it."""

from .application import (  # noqa: F401
    Application, ApplicationStatus, Award, ProvincialContact, School, TeamMember, Textbook, private_upload,
)
from .call import (  # noqa: F401
    CN_DIGITS, PROVINCE_CHOICES, PROVINCES, Gender, Project, ProjectExpert, ProvincialOrganiser, ReviewCriterion,
    Stage, SubjectGrade, grade_label, month_validator, qq_validator,
)
from .review import (  # noqa: F401
    Activity, ActivityTeacher, AppointmentLetter, Assignment, Pairing, Score, SelectionCorrection, SelectionNotice,
)
