# Debian packages every later service script needs, installed in one apt run.
apt_packages=(docker.io docker-compose postgresql bubblewrap chromium chromium-driver)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
