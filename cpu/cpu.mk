# libpaccpu.a: every C file under cpu/ (DESIGN rule 1: links alone).
CPU_SRCS := $(sort $(wildcard cpu/*/*.c))
CPU_OBJS := $(CPU_SRCS:%.c=$(O)/%.o)
LIBPACCPU := $(O)/libpaccpu.a

$(LIBPACCPU): $(CPU_OBJS)
	rm -f $@
	ar rcs $@ $^
