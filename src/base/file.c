/* fsync, rename, fsync the directory: the order a rename needs to survive a crash. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "base/banned.h"

static int file_fsync(const char *path, int flags, struct error *err)
{
	int fd = open(path, flags | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return error_set(err, THC_EIO, "không mở được '%s': %s", "cannot open '%s': %s", path,
		                 strerror(errno));
	if (fsync(fd) < 0)
		rc = error_set(err, THC_EIO, "không ghi được '%s' xuống đĩa: %s",
		               "cannot flush '%s' to disk: %s", path, strerror(errno));
	close(fd);
	return rc;
}

int file_replace(const char *tmp, const char *path, struct error *err)
{
	char *copy;
	int rc;

	if ((rc = file_fsync(tmp, O_RDONLY, err)) < 0)
		return rc;
	if (rename(tmp, path) < 0)
		return error_set(err, THC_EIO, "không đổi tên '%s' thành '%s': %s",
		                 "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
	if ((copy = strdup(path)) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	rc = file_fsync(dirname(copy), O_RDONLY | O_DIRECTORY, err);
	free(copy);
	return rc;
}
