"""Code that runs inside the Blender venv (.venv-blender): stdlib + bpy only, never the rest of Slate."""
