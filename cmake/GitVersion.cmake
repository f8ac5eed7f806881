# Records the software version and the git commit the build comes from in a generated header.
# The commit is looked up at every build, not only when CMake configures, so that an
# incremental build never stamps its results with the commit of an earlier one; the header is
# rewritten only when the commit changes (configure_file leaves an unchanged file alone), so
# nothing recompiles otherwise.
find_package(Git QUIET)
set(INTERDICT_VERSION_HEADER "${PROJECT_BINARY_DIR}/generated/core/Version.hpp")
set(INTERDICT_VERSION_ARGS
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DHEADER=${INTERDICT_VERSION_HEADER}
    -DPROJECT_VERSION=${PROJECT_VERSION} -DGIT_EXECUTABLE=${GIT_EXECUTABLE})
# Once now, so the header exists before the first build; then before every build.
execute_process(COMMAND "${CMAKE_COMMAND}" ${INTERDICT_VERSION_ARGS}
                        -P "${PROJECT_SOURCE_DIR}/cmake/WriteVersion.cmake")
add_custom_target(interdict_version
  COMMAND "${CMAKE_COMMAND}" ${INTERDICT_VERSION_ARGS}
          -P "${PROJECT_SOURCE_DIR}/cmake/WriteVersion.cmake"
  BYPRODUCTS "${INTERDICT_VERSION_HEADER}"
  COMMENT "Looking up the git commit"
  VERBATIM)
