"""The demo coalition: Contra Costa County's Zero Tolerance for Human Trafficking coalition."""

import random

from concord.coalition.models import Coalition

GOALS = """Conducting public awareness activities
Providing training, technical assistance and a forum to share best practices
Establishing policies and protocols
Creating a coordinated system of care"""

GOALS_ES = """Realizar actividades de concienciación pública
Ofrecer capacitación, asistencia técnica y un foro para compartir buenas prácticas
Establecer políticas y protocolos
Crear un sistema de atención coordinado"""

VALUES = """Commitment to a victim-centered, trauma informed and culturally responsive approach
Belief that all victims of trafficking have the right to live free of exploitation and to be empowered through services and advocacy
Commitment to collaboration based on respect for each member's expertise, role and goals; willingness to commit to understanding interagency cultures and mandates
Belief in the importance of reporting, investigating and prosecuting trafficking crimes, and commitment to fully educating victims about their options regarding reporting and cooperating in the criminal justice process, and to respect their decisions in the context of evidence-based prosecution
Commitment to active participation and to achievable goals as determined by the Coalition and its committees"""

VALUES_ES = """Compromiso con un enfoque centrado en la víctima, informado sobre el trauma y culturalmente receptivo
La convicción de que todas las víctimas de la trata tienen derecho a vivir libres de explotación y a ser empoderadas mediante servicios y apoyo
Compromiso con una colaboración basada en el respeto a la experiencia, el papel y los objetivos de cada miembro; disposición a comprender las culturas y los mandatos de cada organización
La convicción de que es importante denunciar, investigar y enjuiciar los delitos de trata, y el compromiso de informar plenamente a las víctimas sobre sus opciones de denunciar y cooperar con el proceso penal, y de respetar sus decisiones en el contexto de un enjuiciamiento basado en pruebas
Compromiso con la participación activa y con metas alcanzables fijadas por la Coalición y sus comités"""

DEMO_COALITION = {
    "name": "Contra Costa County Zero Tolerance for Human Trafficking Coalition",
    "name_es": "Coalición Tolerancia Cero contra la Trata de Personas del Condado de Contra Costa",
    "short_name": "Zero Tolerance Coalition",
    "short_name_es": "Coalición Tolerancia Cero",
    "mission": (
        "Contra Costa County's Zero Tolerance for Human Trafficking coalition is a partnership "
        "working to raise awareness, build capacity, and increase access to services for "
        "victims of human trafficking."
    ),
    "mission_es": (
        "La coalición Tolerancia Cero contra la Trata de Personas del condado de Contra Costa "
        "es una alianza que trabaja para crear conciencia, fortalecer capacidades y ampliar el "
        "acceso a servicios para las víctimas de la trata de personas."
    ),
    "goals": GOALS,
    "goals_es": GOALS_ES,
    "values": VALUES,
    "values_es": VALUES_ES,
    "meeting_summary": (
        "The Coalition meets quarterly, from 9:00 to 10:30 am on the fourth Tuesday of "
        "January, April, July and October. Committees meet monthly or as needed, and "
        "time-sensitive sub-committees are formed during the year."
    ),
    "meeting_summary_es": (
        "La Coalición se reúne cada trimestre, de 9:00 a 10:30 a. m., el cuarto martes de "
        "enero, abril, julio y octubre. Los comités se reúnen cada mes o según sea necesario, y "
        "durante el año se forman subcomités para asuntos urgentes."
    ),
    "membership_summary": (
        "Coalition membership is by application only. The application formalizes active "
        "participation, time commitment and alignment with the Coalition's values, to ensure "
        "safety, accountability and commitment among members."
    ),
    "membership_summary_es": (
        "La membresía de la Coalición es solo por solicitud. La solicitud formaliza la "
        "participación activa, el compromiso de tiempo y la afinidad con los valores de la "
        "Coalición, para garantizar la seguridad, la responsabilidad y el compromiso entre sus "
        "miembros."
    ),
    "contact_email": "coalition@example.org",
    "time_zone": "America/Los_Angeles",
}


def seed(*, scale: int, rng: random.Random) -> list[str]:
    coalition = Coalition.objects.order_by("pk").first()
    if coalition is None:
        Coalition.objects.create(**DEMO_COALITION)
        return ["Created the demo coalition."]
    # Fill fields added since the coalition was loaded; never overwrite what was edited.
    missing = [field for field, value in DEMO_COALITION.items() if not getattr(coalition, field)]
    for field in missing:
        setattr(coalition, field, DEMO_COALITION[field])
    if missing:
        coalition.save(update_fields=missing)
        return [f"Filled {len(missing)} new coalition settings."]
    return []
