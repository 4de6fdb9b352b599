"""The Streamlit side of rnnviz, the only package code that imports streamlit. At the top: the
frame (shell), the URL state (state), the shared models and traces (resources), the server
(server), accessibility (a11y), the strings (i18n + strings/) and the pieces every view uses
(common, controls, inputs, own_models); the pages in views/, the step-through component in
stepper/, the live class in live_class/. Nothing here computes a quantity: that is the core's."""
