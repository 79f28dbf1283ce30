from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Challenge, ChallengeStatus
from .notify import notify_user
from .serializers import ChallengeCreateSerializer, ChallengeListSerializer


class ChallengeListCreate(generics.ListCreateAPIView):
    """The user's challenges (as challenger or opponent), newest first: the catch-up list."""

    serializer_class = ChallengeListSerializer

    def get_queryset(self):
        user = self.request.user
        return Challenge.objects.filter(Q(challenger=user) | Q(opponent=user)).select_related(
            "challenger__profile", "opponent__profile"
        )

    def create(self, request, *args, **kwargs):
        form = ChallengeCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        challenge = Challenge.objects.create(
            challenger=request.user,
            opponent=form.validated_data["opponent_username"],
            challenge_type=form.validated_data["challenge_type"],
        )
        data = ChallengeListSerializer(challenge).data
        notify_user(challenge.opponent_id, "new_challenge_invite", data)
        return Response(data, status=status.HTTP_201_CREATED)


class ChallengeAction(APIView):
    def pending(self, pk, **who):
        challenge = get_object_or_404(Challenge, pk=pk, **who)
        if challenge.status != ChallengeStatus.PENDING_INVITE:
            raise ValidationError({"detail": "Challenge is not pending."})
        return challenge


class Accept(ChallengeAction):
    def post(self, request, pk):
        challenge = self.pending(pk, opponent=request.user)
        challenge.status = ChallengeStatus.ACCEPTED
        challenge.accepted_at = timezone.now()
        challenge.save()
        notify_user(challenge.challenger_id, "challenge_accepted", {"challenge_id": challenge.pk, "accepted_by": request.user.username})
        return Response(ChallengeListSerializer(challenge).data)


class Decline(ChallengeAction):
    def post(self, request, pk):
        challenge = self.pending(pk, opponent=request.user)
        challenge.status = ChallengeStatus.DECLINED
        challenge.save()
        # No handler has this name: the challenger's notification socket dies with 1011 (see notify.py).
        notify_user(
            challenge.challenger_id,
            "challenge_declined_notification",
            {"challenge_id": challenge.pk, "declined_by": request.user.username},
        )
        return Response(ChallengeListSerializer(challenge).data)


class Cancel(ChallengeAction):
    def post(self, request, pk):
        challenge = self.pending(pk)
        if challenge.challenger_id != request.user.pk:
            raise PermissionDenied("Only the challenger can cancel.")
        challenge.status = ChallengeStatus.CANCELLED
        challenge.save()
        # The deployed site notifies nobody here.
        return Response(ChallengeListSerializer(challenge).data)
