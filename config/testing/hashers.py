from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at its lowest cost, for tests only: they hash hundreds of passwords.

    Same algorithm name, so hashes stay `argon2$...` and verify with the production hasher.
    """

    time_cost = 1
    memory_cost = 64
    parallelism = 1
