from django.conf import settings
from django.db import models


class ChallengeType(models.TextChoices):
    QUICK_QUANT = "quick_quant_10", "Quick Quant Challenge (10 Q)"
    MEDIUM_VERBAL = "medium_verbal_15", "Medium Verbal Challenge (15 Q)"
    COMPREHENSIVE = "comprehensive_20", "Comprehensive Challenge (20 Q)"


class ChallengeStatus(models.TextChoices):
    PENDING_INVITE = "pending_invite", "Pending Invite"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"


class Challenge(models.Model):
    challenger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenges_sent")
    opponent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="challenges_received"
    )
    challenge_type = models.CharField(max_length=32, choices=ChallengeType.choices, default=ChallengeType.QUICK_QUANT)
    status = models.CharField(max_length=32, choices=ChallengeStatus.choices, default=ChallengeStatus.PENDING_INVITE)
    winner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
