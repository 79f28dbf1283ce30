from rest_framework import serializers

from accounts.models import User

from .models import Challenge


class ChallengeUserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="profile.full_name", default="", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email"]


class ChallengeListSerializer(serializers.ModelSerializer):
    """The seed's `ChallengeList`: the payload of `new_challenge_invite` and a row of the list."""

    challenger = ChallengeUserSerializer(read_only=True)
    opponent = ChallengeUserSerializer(read_only=True)
    challenge_type_display = serializers.CharField(source="get_challenge_type_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    winner = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "challenger",
            "opponent",
            "challenge_type",
            "challenge_type_display",
            "status",
            "status_display",
            "winner",
            "created_at",
            "accepted_at",
            "completed_at",
        ]


class ChallengeCreateSerializer(serializers.Serializer):
    opponent_username = serializers.CharField()
    challenge_type = serializers.ChoiceField(choices=Challenge._meta.get_field("challenge_type").choices)

    def validate_opponent_username(self, value):
        opponent = User.objects.filter(username=value).first()
        if opponent is None:
            raise serializers.ValidationError("Opponent not found.")
        if opponent == self.context["request"].user:
            raise serializers.ValidationError("You cannot challenge yourself.")
        return opponent
