from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """The site's user; the role and the mentor live on the profile, as in the seed."""

    email = models.EmailField(unique=True)


class Role(models.TextChoices):
    STUDENT = "STUDENT", "Student"
    TEACHER = "TEACHER", "Teacher"
    TRAINER = "TRAINER", "Trainer"


class UserProfile(models.Model):
    # The seed's `sender_profile.user_id` is this row's id, not the User's: the two differ.
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(max_length=255, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)
    assigned_mentor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentees"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user.username} ({self.role})"
