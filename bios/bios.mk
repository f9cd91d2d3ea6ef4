# Loaders and firmware tables (libpacbios.a).
BIOS_SRCS := $(sort $(wildcard bios/*.c))
BIOS_OBJS := $(BIOS_SRCS:%.c=$(O)/%.o)
LIBPACBIOS := $(O)/libpacbios.a

$(LIBPACBIOS): $(BIOS_OBJS)
	rm -f $@
	ar rcs $@ $^
