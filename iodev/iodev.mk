# Devices (libpacdev.a): link against libpaccpu.
IODEV_SRCS := $(sort $(wildcard iodev/*.c))
IODEV_OBJS := $(IODEV_SRCS:%.c=$(O)/%.o)
LIBPACDEV := $(O)/libpacdev.a

$(LIBPACDEV): $(IODEV_OBJS)
	rm -f $@
	ar rcs $@ $^
