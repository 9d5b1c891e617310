"""Studio profiles from YAML: decoding with file/line errors, and the bundled demo studio."""

from adapters.profile.errors import Located, ProfileError
from adapters.profile.loader import demo_profile_path, load_profiles, load_studio

__all__ = ["Located", "ProfileError", "demo_profile_path", "load_profiles", "load_studio"]
