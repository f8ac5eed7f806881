# Records the software version and the git commit the build comes from in a generated header.
find_package(Git QUIET)
set(INTERDICT_GIT_COMMIT "unknown")
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=12
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    OUTPUT_VARIABLE INTERDICT_GIT_COMMIT
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT INTERDICT_GIT_COMMIT)
    set(INTERDICT_GIT_COMMIT "unknown")
  endif()
endif()
configure_file("${PROJECT_SOURCE_DIR}/sim/core/Version.hpp.in"
               "${PROJECT_BINARY_DIR}/generated/core/Version.hpp" @ONLY)
