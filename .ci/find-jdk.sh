# Sourced by the project's scripts (.ci/run, ./quickstart, bench/ and reliability/ scripts): exports JAVA_HOME as a
# JDK 21+, since the machine's default java may be older. The first that is 21+ wins: JAVA_HOME, the java on the
# PATH, any JDK under /usr/lib/jvm. Exits with a message naming the calling script if there is none.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

if [[ -z "${JAVA_HOME:-}" ]] || (( $(java_major "$JAVA_HOME/bin/java") < 21 )); then
  if command -v java >/dev/null && (( $(java_major java) >= 21 )); then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  else
    for jdk in /usr/lib/jvm/*/; do
      if [[ -x "$jdk/bin/javac" ]] && (( $(java_major "$jdk/bin/java") >= 21 )); then
        JAVA_HOME=${jdk%/}
        break
      fi
    done
  fi
fi
if [[ -z "${JAVA_HOME:-}" ]] || (( $(java_major "$JAVA_HOME/bin/java") < 21 )); then
  echo "$(basename "$0"): no JDK 21+ found: set JAVA_HOME to one." >&2
  exit 1
fi
export JAVA_HOME
