# Sourced by the shell tests: TAP output.  check DESCRIPTION COMMAND...
# runs the command and prints "ok N - DESCRIPTION", or "not ok" with the
# first lines of what the command printed, as TAP comments.
tap_n=0
tap_out=$(mktemp)
check() {
	local what=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@" > "$tap_out" 2>&1; then
		echo "ok $tap_n - $what"
	else
		echo "not ok $tap_n - $what"
		sed 's/^/# /' "$tap_out" | head -30
	fi
}
