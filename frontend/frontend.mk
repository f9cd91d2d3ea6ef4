# The pacifica command. The demo guest kernel is embedded with .incbin.
FRONT_SRCS := $(sort $(wildcard frontend/*.c))
FRONT_OBJS := $(FRONT_SRCS:%.c=$(O)/%.o) $(O)/frontend/demo_blob.o

$(O)/frontend/demo_blob.o: frontend/demo_blob.S $(DEMO_KERNEL)
	@mkdir -p $(dir $@)
	$(CC) -c -DDEMO_PATH='"$(DEMO_KERNEL)"' -o $@ $<

pacifica: $(FRONT_OBJS) $(LIBPACBIOS) $(LIBPACDEV) $(LIBPACCPU)
	$(CC) $(LDFLAGS) -o $@ $(FRONT_OBJS) $(LIBPACBIOS) $(LIBPACDEV) $(LIBPACCPU) $(LDLIBS)
