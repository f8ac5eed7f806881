# Writes HEADER from sim/core/Version.hpp.in with PROJECT_VERSION and the git commit of
# SOURCE_DIR ("unknown" outside a git checkout). Run with cmake -P by GitVersion.cmake.
set(INTERDICT_GIT_COMMIT "unknown")
if(GIT_EXECUTABLE AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=12
    WORKING_DIRECTORY "${SOURCE_DIR}"
    OUTPUT_VARIABLE INTERDICT_GIT_COMMIT
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT INTERDICT_GIT_COMMIT)
    set(INTERDICT_GIT_COMMIT "unknown")
  endif()
endif()
configure_file("${SOURCE_DIR}/sim/core/Version.hpp.in" "${HEADER}" @ONLY)
