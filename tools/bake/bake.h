/* bake.h — `cartouche bake`: prepares the pre-baked backgrounds (map tiles, device art). */
#ifndef CARTOUCHE_BAKE_H
#define CARTOUCHE_BAKE_H

int bake_main(int argc, char **argv);

#endif
