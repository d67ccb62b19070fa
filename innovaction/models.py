from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.core.cache import cache
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovaction.outbox.models import OutboxAttachment as OutboxAttachment
from innovaction.outbox.models import OutboxAttempt as OutboxAttempt
from innovaction.outbox.models import OutboxMessage as OutboxMessage
from innovaction.roles import ROLE_PRECEDENCE, Role


class UserQuerySet(models.QuerySet):
    def with_role(self, *roles: Role) -> "UserQuerySet":
        return self.filter(groups__name__in=[str(r) for r in roles], is_active=True).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(
        self, email: str, password: str | None = None, *, roles=(), hashed_password: str | None = None, **fields
    ) -> "User":
        """`hashed_password`, a hash made by `make_password`, instead of `password`: several
        accounts given the same password need hashing it only once."""
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if hashed_password is None:
            user.set_password(password)
        else:
            user.password = hashed_password
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        if roles:
            user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, roles=[Role.ADMIN], **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address; their roles are auth groups (SPEC §2)."""

    email = models.EmailField(_("adresse e-mail"), max_length=254, unique=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    is_active = models.BooleanField(_("actif"), default=True, help_text=_("Décocher plutôt que supprimer un compte."))
    date_joined = models.DateTimeField(_("date de création"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """Names of the user's role groups, read once per request."""
        if not self.pk or not self.is_active:
            return frozenset()
        names = {g.name for g in self.groups.all()}
        return frozenset(name for name in names if name in Role.values)

    def has_role(self, *roles: Role) -> bool:
        return any(str(role) in self.roles for role in roles)

    @property
    def primary_role(self) -> Role | None:
        return next((role for role in ROLE_PRECEDENCE if self.has_role(role)), None)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(name).label) for name in Role.values if name in self.roles]

    @property
    def is_staff(self) -> bool:
        """Django admin access follows the `admin` role only."""
        return self.has_role(Role.ADMIN)


class Organisation(models.Model):
    """The collectivité running the product: its names are data, never hard-coded (SPEC §1)."""

    name = models.CharField(_("nom de la collectivité"), max_length=200, default="Ma collectivité")
    department_name = models.CharField(
        _("nom de la direction"), max_length=200, default="Direction de l'attractivité et de l'innovation"
    )
    network_name = models.CharField(_("nom du réseau de partenaires"), max_length=100, default="Réseau des partenaires")
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    stale_after_days = models.PositiveSmallIntegerField(
        _("projet « sans nouvelles » après (jours sans point d'avancement)"), default=30
    )
    funding_alert_days = models.PositiveSmallIntegerField(
        _("alerte avant l'échéance d'un financement (jours)"), default=60
    )
    milestone_reminder_days = models.PositiveSmallIntegerField(_("rappel avant un jalon (jours)"), default=7)

    history = HistoricalRecords()

    CACHE_KEY = "innovaction:organisation"

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivité")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def current(cls) -> "Organisation":
        """The single row, cached; created with defaults on first use."""
        organisation = cache.get(cls.CACHE_KEY)
        if organisation is None:
            organisation = cls.objects.order_by("pk").first() or cls.objects.create()
            cache.set(cls.CACHE_KEY, organisation, 300)
        return organisation
