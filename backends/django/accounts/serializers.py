from django.contrib.auth import authenticate
from rest_framework import serializers

from .models import User, UserProfile


class ProfileSerializer(serializers.ModelSerializer):
    """The seed's `student_profile` / `teacher_profile` / `sender_profile`."""

    user_id = serializers.IntegerField(source="pk", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = UserProfile
        fields = ["user_id", "full_name", "username", "email", "role"]


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="profile.full_name", default="", read_only=True)
    role = serializers.CharField(source="profile.role", default=None, read_only=True)
    profile_id = serializers.IntegerField(source="profile.pk", default=None, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "email", "full_name", "role", "profile_id", "date_joined"]


class LoginSerializer(serializers.Serializer):
    """`username` is a username or an email, as the deployed login form says."""

    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)

    def validate(self, attrs):
        login = attrs["username"]
        if "@" in login:
            match = User.objects.filter(email__iexact=login).first()
            if match:
                login = match.username
        user = authenticate(self.context["request"], username=login, password=attrs["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError("Unable to log in with provided credentials.")
        attrs["user"] = user
        return attrs
